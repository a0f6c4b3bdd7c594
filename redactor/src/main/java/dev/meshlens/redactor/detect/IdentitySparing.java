package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Spans.GENERIC;

/** Runs after a generic token hit: the identities in the string are spared (see {@link #spare}). */
final class IdentitySparing {
    private final TokenClassifier classifier;

    IdentitySparing(TokenClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * Drops the generic token rule's hits where they fall on an identity (a SPIFFE ID, an Istio
     * cluster or SNI, a mesh host name): identities are recognised by their grammar, never guessed
     * at by length or entropy. Inside an identity each path segment still meets the detectors that
     * know a secret by its own shape (an {@code AKIA} key in a SPIFFE path is still a key); text
     * glued to an identity is judged again on its own. Runs only after a generic hit, so clean text
     * pays nothing for it.
     */
    Spans spare(String s, Spans sp) {
        int[] ids = Identities.find(s);
        if (ids == null) {
            return sp;
        }
        Spans out = new Spans();
        int[] a = sp.a;
        for (int i = 0; i < sp.n; i += 3) {
            int st = a[i];
            int en = a[i + 1];
            int kind = a[i + 2];
            if ((kind & GENERIC) == 0 || !overlaps(ids, st, en)) {
                out.add(st, en, kind);
                continue;
            }
            int p = st;
            for (int k = 0; k < ids.length && ids[k] < en; k += 2) {
                if (ids[k + 1] <= p) {
                    continue;
                }
                if (ids[k] - p >= 15) {
                    classifier.classify(s, p, ids[k], out); // glued in front
                }
                int ie = Math.min(ids[k + 1], en);
                shapesOnly(s, Math.max(p, ids[k]), ie, out);
                p = ie;
            }
            if (en - p >= 15) {
                classifier.classify(s, p, en, out); // glued behind
            }
        }
        return out;
    }

    /** The shape detectors (not the generic rule) over each '/'-separated segment of [st, en). */
    private void shapesOnly(String s, int st, int en, Spans out) {
        int p = st;
        while (p < en) {
            int ss = p;
            while (p < en && s.charAt(p) != '/') {
                p++;
            }
            if (p - ss >= 15) {
                Spans seg = classifier.classify(s, ss, p, null);
                for (int k = 0; seg != null && k < seg.n; k += 3) {
                    if ((seg.a[k + 2] & GENERIC) == 0) {
                        out.add(seg.a[k], seg.a[k + 1], seg.a[k + 2]);
                    }
                }
            }
            p++;
        }
    }

    private static boolean overlaps(int[] ranges, int st, int en) {
        for (int k = 0; k < ranges.length; k += 2) {
            if (st < ranges[k + 1] && ranges[k] < en) {
                return true;
            }
        }
        return false;
    }
}
