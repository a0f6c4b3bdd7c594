package dev.meshlens.redactor.detect;

import java.util.Arrays;

/**
 * Spans found in one string: (start, end, kind ordinal [| GENERIC]) triplets. Created only when a
 * detector finds something, so clean text allocates nothing: detectors take and return a possibly
 * null instance.
 */
final class Spans {
    /**
     * Marks a span found by the generic token rule (length and entropy) rather than by a secret's own
     * shape: such spans are dropped where they fall on an identity ({@link Identities}).
     */
    static final int GENERIC = 1 << 16;

    static final int KIND = GENERIC - 1;

    int[] a = new int[24];
    int n;
    boolean generic;

    void add(int start, int end, DetectorKind k) {
        add(start, end, k.ordinal());
    }

    void add(int start, int end, int kind) {
        if (end <= start) {
            return;
        }
        if (n + 3 > a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n++] = start;
        a[n++] = end;
        a[n++] = kind;
        generic |= (kind & GENERIC) != 0;
    }

    boolean covers(int pos) {
        for (int i = 0; i < n; i += 3) {
            if (pos >= a[i] && pos < a[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Adds a span to {@code sp}, creating it on the first hit. */
    static Spans add(Spans sp, int st, int en, DetectorKind k) {
        if (sp == null) {
            sp = new Spans();
        }
        sp.add(st, en, k);
        return sp;
    }

    /** A hit of the generic token rule: judged again against the identities in the string. */
    static Spans addGeneric(Spans sp, int st, int en) {
        if (sp == null) {
            sp = new Spans();
        }
        sp.add(st, en, DetectorKind.TOKEN.ordinal() | GENERIC);
        return sp;
    }
}
