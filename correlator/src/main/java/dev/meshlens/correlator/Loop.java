package dev.meshlens.correlator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * What the correlator writes to its own input through the loop topic ({@link CorrelationConfig#loopTopic()}),
 * so that two keys can talk while each stays on its own partition.
 *
 * <p>An Envoy admin source that knows no Envoy identity publishes listener {@code ssl.*} deltas that name no
 * service: they land on the mesh-wide key {@code mesh:<mesh>}, away from the access-log halves of the same
 * failures (keyed by service). So every failure half whose server mesh is known leaves a {@link Footprint}
 * on its server mesh's key; when a delta there leaves the window, the footprints of its interval tell which
 * keys' failures it repeats, and a {@linkplain Half#shared() shared} copy of it goes to each of them to pair
 * and corroborate. A delta no footprint explains becomes a finding of its own.
 *
 * @param footprint set for a footprint message
 * @param counter set for a counter copy (a shared stats half)
 */
record Loop(Footprint footprint, Half counter) {

    /** Loop values start with this byte; mesh events are JSON objects and never do. */
    static final byte MARK = 0;

    private static final ObjectMapper JSON = EventCodec.get().mapper();

    /**
     * A failure seen at {@code key}, as the mesh-wide key of its server mesh needs it.
     *
     * @param key the join key (service) whose findings it belongs to
     * @param timeMs event time of the failure
     * @param client true when the client saw it
     * @param category the half's category
     * @param rejectedBy from the observer's point of view
     * @param clientIdentity the client's identity when known
     */
    record Footprint(
            String key,
            long timeMs,
            boolean client,
            FailureCategory category,
            RejectedBy rejectedBy,
            String clientIdentity) {

        /** True when a server counter unit of the same mesh could count this failure. */
        boolean explains(Half.Unit u) {
            if (client) {
                Half probe = new Half(
                        "",
                        "",
                        null,
                        true,
                        timeMs,
                        timeMs,
                        category,
                        rejectedBy,
                        clientIdentity,
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        null,
                        false,
                        null,
                        false,
                        0);
                return PairingRules.compatible(probe, u.category(), u.rejectedBy(), null);
            }
            // the server's own log line and its own counters: the same side
            if (u.category() == FailureCategory.UNKNOWN || u.category() == category) {
                return true;
            }
            return u.category().isVerification()
                    && category.isVerification()
                    && (Observations.generic(u.category()) || Observations.generic(category))
                    && (u.rejectedBy() == rejectedBy || u.rejectedBy() == RejectedBy.UNKNOWN);
        }
    }

    byte[] encode() {
        try {
            byte[] json = JSON.writeValueAsBytes(this);
            byte[] out = new byte[json.length + 1];
            out[0] = MARK;
            System.arraycopy(json, 0, out, 1, json.length);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isLoop(byte[] value) {
        return value != null && value.length > 0 && value[0] == MARK;
    }

    static Loop decode(byte[] value) {
        try {
            return JSON.readValue(Arrays.copyOfRange(value, 1, value.length), Loop.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
