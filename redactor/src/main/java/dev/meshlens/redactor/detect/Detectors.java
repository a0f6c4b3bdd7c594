package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Features.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in free text and replaces them with typed markers. One cheap pass over the
 * characters collects feature bits ({@link Features}: is there an '@', a digit count high enough
 * for a card, a token run long enough for a key, ':', '=', '?'...); then an ordered table of small
 * {@link Detector}s runs, each only when the bits it needs were seen, using {@code indexOf} and
 * character tables rather than regular expressions. Around the table: the clean-string cache, the
 * identity sparing of generic hits, the allow-list and the span merging and rewrite. Nothing is
 * allocated unless something is found. Immutable and thread-safe.
 */
public final class Detectors {

    /** The enabled detectors in the order they run ({@link #table(Set, TokenClassifier)}). */
    private final Detector[] table;
    /** Gates of {@link #table}, copied out so a skipped detector costs two mask tests, not a call. */
    private final int[] all;

    private final int[] any;
    private final IdentitySparing sparing;
    private final List<AllowEntry> allow;

    /** An allow-list entry: matches of {@code pattern} in the listed fields (all when empty) are never replaced. */
    public record AllowEntry(Pattern pattern, Set<String> fields) {}

    /** Strings longer than this are never cached. */
    private static final int CACHE_MAX_LENGTH = 512;

    /**
     * Direct-mapped cache of strings known to contain nothing any detector flags (found without help
     * from the allow-list, so the verdict holds for every field). Access logs repeat the same
     * cluster names, SPIFFE IDs and TLS error strings on almost every line; a hit costs one
     * {@code String.equals}. Racy by design: a slot holds an immutable String or null, a lost
     * update is only a miss. Null when caching is off.
     */
    private final String[] clean;

    private final int cleanMask;

    public Detectors(Set<DetectorKind> enabled, List<AllowEntry> allow) {
        this(enabled, allow, 4096);
    }

    /**
     * @param cleanCacheSize slots of the clean-string cache (rounded up to a power of two), 0 for none
     */
    public Detectors(Set<DetectorKind> enabled, List<AllowEntry> allow, int cleanCacheSize) {
        if (cleanCacheSize > 0) {
            int n = Integer.highestOneBit(Math.max(1, cleanCacheSize - 1)) << 1;
            clean = new String[n];
            cleanMask = n - 1;
        } else {
            clean = null;
            cleanMask = 0;
        }
        TokenClassifier classifier = classifier(enabled);
        table = table(enabled, classifier);
        all = new int[table.length];
        any = new int[table.length];
        for (int i = 0; i < table.length; i++) {
            all[i] = table[i].requiresAll();
            any[i] = table[i].requiresAny();
        }
        sparing = new IdentitySparing(classifier);
        this.allow = List.copyOf(allow);
    }

    /**
     * Replaces every secret found in {@code s} with its typed marker.
     *
     * @param s the text (may be null)
     * @param field the field's wire name (for field-scoped allow-list entries)
     * @param counts per-detector counters, indexed by {@code offset + DetectorKind.ordinal()}
     * @param offset see counts
     * @return {@code s} itself when nothing was found
     */
    public String apply(String s, String field, int[] counts, int offset) {
        if (s == null) {
            return null;
        }
        int len = s.length();
        if (len < 5) {
            return s;
        }
        int slot = -1;
        if (clean != null && len <= CACHE_MAX_LENGTH) {
            slot = s.hashCode() & cleanMask;
            String c = clean[slot];
            if (c != null && (c == s || c.equals(s))) {
                return s;
            }
        }
        int features = features(s);
        Spans sp = null;
        // ---- the table, in order; a detector runs only when the pre-pass saw what it needs
        Detector[] t = table;
        for (int i = 0; i < t.length; i++) {
            int a = all[i];
            int y = any[i];
            if ((features & a) == a && (y == 0 || (features & y) != 0)) {
                sp = t[i].find(s, features, sp);
            }
        }
        if (sp != null && sp.generic) {
            sp = sparing.spare(s, sp);
        }
        if (sp == null || sp.n == 0) {
            if (slot >= 0) {
                clean[slot] = s;
            }
            return s;
        }
        return rewrite(s, field, sp, counts, offset);
    }

    /**
     * The pre-pass: one table lookup per character gives the {@link Features} bits, then the bits
     * derived from the length, the longest token run and the digit count.
     */
    static int features(String s) {
        int len = s.length();
        int features = 0;
        int digits = 0;
        int run = 0;
        int maxRun = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            int f = c < 128 ? FEAT[c] : 0;
            features |= f;
            digits += (f >>> F_DIGIT_SHIFT) & 1;
            run = (f & F_TOKEN) != 0 ? run + 1 : 0;
            if (run > maxRun) {
                maxRun = run;
            }
        }
        if (len >= 10) {
            features |= F_LEN10;
        }
        if (maxRun >= 10) {
            features |= maxRun >= 15 ? F_RUN10 | F_RUN15 : F_RUN10;
        }
        if (digits >= 8) {
            features |= digits >= 13 ? F_DIGITS8 | F_DIGITS13 : F_DIGITS8;
        }
        return features;
    }

    static TokenClassifier classifier(Set<DetectorKind> enabled) {
        return new TokenClassifier(
                enabled.contains(DetectorKind.AWS_KEY),
                enabled.contains(DetectorKind.GCP_KEY),
                enabled.contains(DetectorKind.GITHUB_TOKEN),
                enabled.contains(DetectorKind.SLACK_TOKEN),
                enabled.contains(DetectorKind.TOKEN),
                enabled.contains(DetectorKind.IBAN));
    }

    /**
     * The enabled detectors in the order they run. Order matters: later detectors skip text an
     * earlier one marked (e-mails inside user-info, cards and IBANs inside tokens).
     */
    static Detector[] table(Set<DetectorKind> enabled, TokenClassifier classifier) {
        List<Detector> t = new ArrayList<>();
        if (enabled.contains(DetectorKind.PRIVATE_KEY)) {
            t.add(new PemDetector());
        }
        if (enabled.contains(DetectorKind.JWT)) {
            t.add(new JwtDetector());
        }
        boolean bearer = enabled.contains(DetectorKind.BEARER);
        boolean basic = enabled.contains(DetectorKind.BASIC);
        if (bearer || basic) {
            t.add(new AuthSchemeDetector(bearer, basic));
        }
        if (enabled.contains(DetectorKind.USERINFO)) {
            t.add(new UserinfoDetector());
        }
        if (enabled.contains(DetectorKind.EMAIL)) {
            t.add(new EmailDetector());
        }
        if (enabled.contains(DetectorKind.COOKIE)) {
            t.add(new CookieDetector());
        }
        if (enabled.contains(DetectorKind.QUERY)) {
            t.add(new QueryDetector());
        }
        if (enabled.contains(DetectorKind.SECRET_PARAM)) {
            t.add(new SecretParamDetector());
        }
        if (enabled.contains(DetectorKind.GCP_KEY)) {
            t.add(new GcpOauthDetector());
        }
        if (classifier.anyEnabled()) {
            t.add(new TokenDetector(classifier));
        }
        if (enabled.contains(DetectorKind.IBAN)) {
            t.add(new SpacedIbanDetector());
        }
        if (enabled.contains(DetectorKind.CARD)) {
            t.add(new CardDetector());
        }
        if (enabled.contains(DetectorKind.IP)) {
            t.add(new IpDetector());
        }
        return t.toArray(new Detector[0]);
    }

    // ------------------------------------------------------------------ rewrite

    private String rewrite(String s, String field, Spans sp, int[] counts, int offset) {
        // sort triplets by start (insertion sort: few spans)
        int[] a = sp.a;
        int n = sp.n / 3;
        for (int i = 1; i < n; i++) {
            int s0 = a[i * 3], e0 = a[i * 3 + 1], k0 = a[i * 3 + 2];
            int j = i - 1;
            while (j >= 0 && (a[j * 3] > s0 || (a[j * 3] == s0 && a[j * 3 + 1] < e0))) {
                a[(j + 1) * 3] = a[j * 3];
                a[(j + 1) * 3 + 1] = a[j * 3 + 1];
                a[(j + 1) * 3 + 2] = a[j * 3 + 2];
                j--;
            }
            a[(j + 1) * 3] = s0;
            a[(j + 1) * 3 + 1] = e0;
            a[(j + 1) * 3 + 2] = k0;
        }
        int[] allowed = allowedRanges(s, field);
        StringBuilder out = new StringBuilder(s.length() + 16);
        int pos = 0;
        boolean changed = false;
        DetectorKind[] kinds = DetectorKind.values();
        for (int i = 0; i < n; i++) {
            int st = a[i * 3], en = a[i * 3 + 1];
            if (st < pos) {
                if (en <= pos) {
                    continue; // inside a span already replaced
                }
                st = pos; // overlapping: replace the rest too
            }
            if (allowed != null && insideAllowed(allowed, st, en)) {
                continue;
            }
            if (s.startsWith("[REDACTED:", st)) {
                continue; // already a marker (a second pass over redacted text)
            }
            DetectorKind k = kinds[a[i * 3 + 2] & Spans.KIND];
            out.append(s, pos, st).append(k.marker());
            pos = en;
            changed = true;
            if (counts != null) {
                counts[offset + k.ordinal()]++;
            }
        }
        if (!changed) {
            return s;
        }
        out.append(s, pos, s.length());
        return out.toString();
    }

    private int[] allowedRanges(String s, String field) {
        if (allow.isEmpty()) {
            return null;
        }
        int[] r = null;
        int n = 0;
        for (AllowEntry e : allow) {
            if (!e.fields().isEmpty() && (field == null || !e.fields().contains(field))) {
                continue;
            }
            Matcher m = e.pattern().matcher(s);
            while (m.find()) {
                if (m.end() == m.start()) {
                    if (m.end() >= s.length()) {
                        break;
                    }
                    continue;
                }
                if (r == null) {
                    r = new int[8];
                } else if (n + 2 > r.length) {
                    r = Arrays.copyOf(r, r.length * 2);
                }
                r[n++] = m.start();
                r[n++] = m.end();
            }
        }
        return r == null ? null : Arrays.copyOf(r, n);
    }

    private static boolean insideAllowed(int[] allowed, int st, int en) {
        for (int i = 0; i < allowed.length; i += 2) {
            if (st >= allowed[i] && en <= allowed[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Marks the values of all cookie pairs in a whole header value (attribute fields named cookie / set-cookie). */
    public String cookieHeader(String value, int[] counts, int offset) {
        Spans sp = CookieDetector.cookiePairs(value, 0, value.length(), null);
        if (sp == null) {
            return value;
        }
        return rewrite(value, null, sp, counts, offset);
    }

    // kept here for the tests that name them on Detectors
    static double entropy(String s, int st, int en) {
        return Entropy.entropy(s, st, en);
    }

    static boolean luhn(String s, int st, int en) {
        return CardDetector.luhn(s, st, en);
    }

    static boolean ibanValid(String s, int st, int en) {
        return Iban.valid(s, st, en);
    }
}
