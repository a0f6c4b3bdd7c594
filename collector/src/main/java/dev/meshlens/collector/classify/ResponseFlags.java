package dev.meshlens.collector.classify;

import dev.meshlens.events.FailureCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Envoy response flags ({@code %RESPONSE_FLAGS%}, comma separated, e.g. {@code URX,UF}). */
public final class ResponseFlags {
    private static final Map<String, String> MEANING = Map.ofEntries(
            Map.entry("UH", "no healthy upstream host"),
            Map.entry("UF", "upstream connection failure"),
            Map.entry("UO", "upstream overflow (circuit breaking)"),
            Map.entry("NR", "no route or filter chain configured"),
            Map.entry("URX", "upstream retry limit or maximum connect attempts reached"),
            Map.entry("NC", "upstream cluster not found"),
            Map.entry("DT", "request or connection exceeded max duration"),
            Map.entry("DC", "downstream connection termination"),
            Map.entry("LH", "local service failed health check"),
            Map.entry("UT", "upstream request timeout"),
            Map.entry("LR", "connection local reset"),
            Map.entry("UR", "upstream remote reset"),
            Map.entry("UC", "upstream connection termination"),
            Map.entry("DI", "request delayed by fault injection"),
            Map.entry("FI", "request aborted by fault injection"),
            Map.entry("RL", "rate limited locally"),
            Map.entry("UAEX", "denied by external authorization"),
            Map.entry("RLSE", "rate limit service error"),
            Map.entry("IH", "invalid header value (strict header check)"),
            Map.entry("SI", "stream idle timeout"),
            Map.entry("DPE", "downstream protocol error"),
            Map.entry("UPE", "upstream protocol error"),
            Map.entry("UMSDR", "upstream max stream duration reached"),
            Map.entry("OM", "overload manager terminated the request"),
            Map.entry("DF", "DNS resolution failed"),
            Map.entry("DO", "dropped by overload (drop_overload)"),
            Map.entry("DR", "downstream remote reset"));

    private ResponseFlags() {}

    /** The individual flags; empty for null, empty or {@code -}. */
    public static List<String> split(String flags) {
        List<String> out = new ArrayList<>(2);
        if (flags == null || flags.isEmpty() || "-".equals(flags)) {
            return out;
        }
        int s = 0;
        for (int i = 0; i <= flags.length(); i++) {
            if (i == flags.length() || flags.charAt(i) == ',') {
                String f = flags.substring(s, i).trim();
                if (!f.isEmpty() && !"-".equals(f)) {
                    out.add(f);
                }
                s = i + 1;
            }
        }
        return out;
    }

    /** What a flag means, or null for unknown flags. */
    public static String meaning(String flag) {
        return MEANING.get(flag);
    }

    /**
     * The category a set of flags implies when no TLS reason was logged, or null when the flags do not
     * describe a connection failure. NR wins over connect failures (a gateway without a route).
     */
    public static FailureCategory categoryOf(List<String> flags) {
        FailureCategory best = null;
        for (String f : flags) {
            switch (f) {
                case "NR", "NC" -> {
                    return FailureCategory.NO_ROUTE;
                }
                case "UF", "URX", "UH", "DF" -> best = FailureCategory.UPSTREAM_CONNECT_FAILURE;
                case "UC" -> {
                    if (best == null) {
                        best = FailureCategory.CONNECTION_RESET;
                    }
                }
                default -> {}
            }
        }
        return best;
    }

    /** True when a raw flags string (no allocation) holds a failure flag meshlens classifies. */
    static boolean hasFailureFlag(String flags) {
        return flags != null
                && (flags.contains("UF")
                        || flags.contains("URX")
                        || flags.contains("UH")
                        || flags.contains("NR")
                        || flags.contains("NC")
                        || flags.contains("UC")
                        || flags.contains("DF"));
    }
}
