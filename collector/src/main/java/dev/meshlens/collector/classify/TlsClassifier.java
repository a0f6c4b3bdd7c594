package dev.meshlens.collector.classify;

import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.events.BoringSsl;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TlsFailure;
import java.util.List;
import java.util.Locale;

/**
 * Classifies access-log lines and free failure text into the stable TLS failure taxonomy. The access-log
 * path first checks, without allocating, whether the line carries any failure evidence (response flags,
 * transport failure reasons, non-trivial response code details); only failing lines are analysed.
 * Stateless and thread-safe.
 */
public final class TlsClassifier {
    public static final TlsClassifier INSTANCE = new TlsClassifier();

    /** Evidence of one access-log observation, by field. Any may be null. */
    public record Evidence(
            String responseFlags,
            String responseCodeDetails,
            String connectionTerminationDetails,
            String upstreamTransportFailureReason,
            String downstreamTransportFailureReason,
            Integer responseCode) {}

    /** Classifies a parsed access-log line; null when the line shows no failure. */
    public Verdict classify(ParsedLine p) {
        return classify(p, ProxyRole.UNKNOWN);
    }

    /**
     * Classifies a parsed access-log line written by an Envoy in {@code role} (what its source knows); null
     * when the line shows no failure. The role only matters for listener-level lines a sidecar and a gateway
     * spell alike (see {@link ServerPlaintext}).
     */
    public Verdict classify(ParsedLine p, ProxyRole role) {
        return ServerPlaintext.refine(p, role, fields(p));
    }

    private Verdict fields(ParsedLine p) {
        var f = p.format();
        int flagsSlot = f.slotOf(Field.RESPONSE_FLAGS);
        int utfr = f.slotOf(Field.UPSTREAM_TRANSPORT_FAILURE_REASON);
        int dtfr = f.slotOf(Field.DOWNSTREAM_TRANSPORT_FAILURE_REASON);
        int details = f.slotOf(Field.RESPONSE_CODE_DETAILS);
        int ctd = f.slotOf(Field.CONNECTION_TERMINATION_DETAILS);
        boolean any = !p.absent(flagsSlot) || !p.absent(utfr) || !p.absent(dtfr) || !p.absent(ctd);
        if (!any && !p.absent(details)) {
            any = !(p.contains(details, "via_upstream") || p.contains(details, "via upstream"))
                    && (p.contains(details, "TLS")
                            || p.contains(details, "tls")
                            || p.contains(details, "ssl")
                            || p.contains(details, "filter_chain")
                            || p.contains(details, "connect")
                            || p.contains(details, "reset"));
        }
        if (!any) {
            return null;
        }
        long code = p.getLong(Field.RESPONSE_CODE, -1);
        return classify(new Evidence(
                p.get(flagsSlot), p.get(details), p.get(ctd), p.get(utfr), p.get(dtfr), code < 0 ? null : (int) code));
    }

    /** Classifies access-log evidence; null when it shows no failure. */
    public Verdict classify(Evidence e) {
        List<String> flags = ResponseFlags.split(e.responseFlags());
        ObserverRole role = null;
        if (notAbsent(e.upstreamTransportFailureReason())) {
            role = ObserverRole.CLIENT;
        } else if (notAbsent(e.downstreamTransportFailureReason())) {
            role = ObserverRole.SERVER;
        } else if (flags.contains("UF") || flags.contains("URX") || flags.contains("UC") || flags.contains("UH")) {
            role = ObserverRole.CLIENT;
        }
        String[][] sources = {
            {"upstream_transport_failure_reason", e.upstreamTransportFailureReason()},
            {"downstream_transport_failure_reason", e.downstreamTransportFailureReason()},
            {"response_code_details", e.responseCodeDetails()},
            {"connection_termination_details", e.connectionTerminationDetails()}
        };
        Analysis unknown = null;
        String unknownSource = null;
        String unknownRaw = null;
        for (String[] s : sources) {
            String text = s[1];
            if (!notAbsent(text) || "via_upstream".equals(text)) {
                continue;
            }
            Analysis a = TlsText.analyze(text);
            if (a == null && s[0].endsWith("transport_failure_reason")) {
                // A transport failure reason always reports a failure: unrecognised text surfaces as UNKNOWN.
                a = new Analysis(FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, null, null, null, null, false);
            }
            if (a == null) {
                continue;
            }
            if (a.recognised() && !isWeak(a)) {
                return verdict(a, text, role, flags, s[0]);
            }
            if (unknown == null || (!unknown.recognised() && a.recognised())) {
                unknown = a;
                unknownSource = s[0];
                unknownRaw = text;
            }
        }
        FailureCategory fromFlags = ResponseFlags.categoryOf(flags);
        if (unknown != null && unknown.recognised()) {
            // A connect/reset marker: flags such as NR may be more specific.
            if (fromFlags == FailureCategory.NO_ROUTE) {
                return flagVerdict(e, flags, role, fromFlags);
            }
            return verdict(unknown, unknownRaw, role, flags, unknownSource);
        }
        if (unknown != null
                && (fromFlags == null
                        || notAbsent(e.upstreamTransportFailureReason())
                        || notAbsent(e.downstreamTransportFailureReason()))) {
            return verdict(unknown, unknownRaw, role, flags, unknownSource);
        }
        if (fromFlags != null) {
            return flagVerdict(e, flags, role, fromFlags);
        }
        if (notAbsent(e.upstreamTransportFailureReason()) || notAbsent(e.downstreamTransportFailureReason())) {
            String raw = notAbsent(e.upstreamTransportFailureReason())
                    ? e.upstreamTransportFailureReason()
                    : e.downstreamTransportFailureReason();
            return new Verdict(
                    new TlsFailure(FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, null, null, null, raw),
                    role,
                    null,
                    flags,
                    false,
                    "transport_failure_reason");
        }
        return null;
    }

    /** Connection-level markers are weaker than TLS reasons found in another field. */
    private static boolean isWeak(Analysis a) {
        return a.code() == null
                && !BoringSsl.isSslReason(String.valueOf(a.reason()))
                && (a.category() == FailureCategory.UPSTREAM_CONNECT_FAILURE
                        || a.category() == FailureCategory.CONNECTION_RESET);
    }

    private static Verdict flagVerdict(Evidence e, List<String> flags, ObserverRole role, FailureCategory c) {
        StringBuilder raw = new StringBuilder(String.join(",", flags));
        if (notAbsent(e.responseCodeDetails())) {
            raw.append(' ').append(e.responseCodeDetails());
        }
        String reason = null;
        for (String f : flags) {
            if (ResponseFlags.meaning(f) != null && ResponseFlags.categoryOf(List.of(f)) == c) {
                reason = f;
                break;
            }
        }
        if (c == FailureCategory.NO_ROUTE && role == null) {
            role = ObserverRole.SERVER;
        }
        String detail = reason == null ? null : ResponseFlags.meaning(reason);
        return new Verdict(
                new TlsFailure(c, RejectedBy.UNKNOWN, null, reason, detail, raw.toString()),
                role,
                null,
                flags,
                true,
                "response_flags");
    }

    private static Verdict verdict(Analysis a, String raw, ObserverRole role, List<String> flags, String source) {
        if (role == null && a.category() == FailureCategory.NO_ROUTE) {
            role = ObserverRole.SERVER;
        }
        return new Verdict(
                new TlsFailure(a.category(), a.rejectedBy(), a.code(), a.reason(), a.detail(), raw),
                role,
                a.library(),
                flags,
                a.recognised(),
                source);
    }

    /**
     * Classifies free text: an Envoy debug/warning line, a 503 response body, or a bare TLS error string.
     * Null when it reports no failure.
     */
    public Verdict classifyText(String text) {
        Analysis a = TlsText.analyze(text);
        if (a == null) {
            return null;
        }
        ObserverRole role = null;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("upstream connect error")
                || lower.contains("transport failure reason")
                || lower.contains("upstream_reset_before_response_started")
                || lower.contains("upstream_transport_failure")) {
            role = ObserverRole.CLIENT;
        } else if (lower.contains("downstream_transport_failure")
                || lower.contains("filter_chain_not_found")
                || lower.contains("filter chain not found")) {
            role = ObserverRole.SERVER;
        }
        return new Verdict(
                new TlsFailure(a.category(), a.rejectedBy(), a.code(), a.reason(), a.detail(), text.strip()),
                role,
                a.library(),
                List.of(),
                a.recognised(),
                "text");
    }

    private static boolean notAbsent(String s) {
        return s != null && !s.isEmpty() && !"-".equals(s);
    }
}
