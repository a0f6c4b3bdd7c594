package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;

/**
 * The category and direction (client's point of view) that the halves of one failure give, before
 * inventory refinement, and which evidence decided the category.
 *
 * <p>Evidence in order of strength: the verifier's own failure when it names a cause (validator detail);
 * the server's own evidence of a missing client certificate over the ambiguous alert the client received
 * ({@link Alerts#mayAlsoMean}); any other half that names a cause (a client's bare verify failure counts as
 * named when its own cluster counters say which check failed); the alert a half received (what the other side's validator saw, see
 * {@link Alerts}); a client that saw no TLS at all against a server that failed a handshake (plaintext);
 * then the bare rejection.
 *
 * @param category the category
 * @param rejectedBy who rejected whom, from the client's point of view
 * @param decidedBy the evidence that decided, in words
 * @param refinedBy set when a generic client half was narrowed by other evidence (kept for the on-call page)
 */
record Decision(FailureCategory category, RejectedBy rejectedBy, String decidedBy, String refinedBy) {

    /**
     * @param c the client half, or null
     * @param s the server half (a log half, or the stats half {@code unit} belongs to), or null
     * @param unit the stats unit standing for the server half, or null
     */
    static Decision of(Half c, Half s, Half.Unit unit) {
        FailureCategory cc = c == null ? null : c.category();
        FailureCategory sc = unit != null ? unit.category() : s == null ? null : s.category();
        RejectedBy srb = unit != null ? unit.rejectedBy() : s == null ? null : s.rejectedBy();
        String cWhy = c == null ? null : evidence(c, "client");
        String sWhy = unit != null ? counterEvidence(s, unit) : s == null ? null : evidence(s, "server");

        FailureCategory cat;
        String decided;
        String refined = null;
        boolean serverVerified = s != null && unit == null && srb == RejectedBy.SELF && !Alerts.isAlert(s.reason());
        if (serverVerified && !Observations.generic(sc) && (cc == null || Observations.generic(cc) || cc == sc)) {
            cat = sc;
            decided = sWhy;
            refined = c != null && cc != sc ? "other half" : null;
        } else if (c != null && sc != null && srb == RejectedBy.SELF && Alerts.mayAlsoMean(c.reason(), sc)) {
            // the client's alert is ambiguous; the server's own evidence says which
            cat = sc;
            decided = sWhy + " (the " + c.reason() + " the client received is how a TLS 1.2 server refuses a missing"
                    + " client certificate)";
            refined = unit != null ? "server " + unit.counter() + " delta" : "other half";
        } else if (cc != null && !Observations.generic(cc)) {
            cat = cc;
            decided = cWhy;
        } else if (sc != null && !Observations.generic(sc)) {
            cat = sc;
            decided = sWhy;
            refined = c != null ? unit != null ? "server " + unit.counter() + " delta" : "other half" : null;
        } else {
            Alerts.Reading ca = c == null ? null : Alerts.read(c.reason());
            Alerts.Reading sa = unit != null || s == null ? null : Alerts.read(s.reason());
            boolean bare = cc == FailureCategory.CERT_REJECTED
                    || sc == FailureCategory.CERT_REJECTED
                    || cc == FailureCategory.UNKNOWN
                    || sc == FailureCategory.UNKNOWN;
            if (bare && ca != null && ca.category() != null) {
                cat = ca.category();
                decided = cWhy;
                refined = "alert received by the client";
            } else if (bare && sa != null && sa.category() != null) {
                cat = sa.category();
                decided = sWhy;
                refined = "alert received by the server";
            } else if (c != null && (c.noTls() || c.ordinary()) && sc == FailureCategory.UNKNOWN) {
                // the server's TLS handshake failed while the client saw no TLS error: the client spoke plaintext
                cat = FailureCategory.PLAINTEXT_MISMATCH;
                decided = sWhy + ", while " + cWhy;
                refined = "other half";
            } else if (cc == FailureCategory.CERT_REJECTED || sc == FailureCategory.CERT_REJECTED) {
                cat = FailureCategory.CERT_REJECTED;
                decided = ca != null ? cWhy : sa != null ? sWhy : cc == FailureCategory.CERT_REJECTED ? cWhy : sWhy;
            } else {
                cat = cc != null ? cc : sc;
                decided = cc != null ? cWhy : sWhy;
            }
        }
        RejectedBy rb;
        if (c != null && c.rejectedBy() != RejectedBy.UNKNOWN) {
            rb = c.rejectedBy();
        } else if (srb != null && srb != RejectedBy.UNKNOWN) {
            rb = flip(srb);
        } else {
            rb = defaultRejectedBy(cat, c);
        }
        return new Decision(cat, rb, decided, refined);
    }

    static RejectedBy flip(RejectedBy r) {
        return r == RejectedBy.SELF ? RejectedBy.PEER : r == RejectedBy.PEER ? RejectedBy.SELF : RejectedBy.UNKNOWN;
    }

    /** Direction implied by the category alone, when neither half says who rejected. */
    static RejectedBy defaultRejectedBy(FailureCategory cat, Half c) {
        if (cat == FailureCategory.NO_ROUTE || cat == FailureCategory.CLIENT_CERT_MISSING) {
            return RejectedBy.PEER; // the server side refused the client
        }
        if (cat == FailureCategory.PLAINTEXT_MISMATCH) {
            // TLS client, plaintext server: the client detects it (WRONG_VERSION_NUMBER); else the TLS server refused
            return c != null && "WRONG_VERSION_NUMBER".equals(c.reason()) ? RejectedBy.SELF : RejectedBy.PEER;
        }
        return RejectedBy.UNKNOWN;
    }

    /** One half's evidence in words. */
    static String evidence(Half h, String side) {
        Alerts.Reading a = Alerts.read(h.reason());
        if (a != null) {
            return "alert " + h.reason() + " received by the " + side + " (" + a.why() + ")";
        }
        if (h.ordinary()) {
            return "the " + side + "'s connection line shows no failure and no TLS (it spoke plaintext)";
        }
        if (h.noTls()) {
            return "the " + side + "'s connection ended without any TLS error (it spoke plaintext, or TLS 1.3 let it"
                    + " finish its handshake before the server rejected its certificate)";
        }
        String what = h.reason() != null ? h.reason() : h.category().name();
        String how =
                h.detail() != null ? h.detail() : h.raw() != null && !h.raw().equals(what) ? shorten(h.raw()) : null;
        String own = h.rejectedBy() == RejectedBy.SELF ? "the " + side + "'s own " : "the " + side + "'s ";
        return own + what + (how != null ? " (" + how + ")" : "");
    }

    static String counterEvidence(Half stats, Half.Unit u) {
        return "the server's " + u.counter() + " delta"
                + (stats != null && stats.place() != null ? " on " + stats.place() : "");
    }

    private static String shorten(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
