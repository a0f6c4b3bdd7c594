package dev.meshlens.redactor.detect;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-written scanners for secrets in free text. One cheap pass over the characters collects
 * features (is there an '@', a digit run long enough for a card, a token long enough for a key,
 * "://", '=', '?'...); only the scanners whose pre-check fires run, and they use {@code indexOf}
 * and character tables rather than regular expressions. Nothing is allocated unless something is
 * found. Immutable and thread-safe.
 */
public final class Detectors {
  // character classes
  private static final byte UPPER = 1;
  private static final byte LOWER = 2;
  private static final byte DIGIT = 4;
  private static final byte TOKEN_PUNCT = 8; // + / = _ -
  private static final byte[] CLS = new byte[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      CLS[c] = UPPER;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      CLS[c] = LOWER;
    }
    for (char c = '0'; c <= '9'; c++) {
      CLS[c] = DIGIT;
    }
    for (char c : "+/=_-".toCharArray()) {
      CLS[c] = TOKEN_PUNCT;
    }
  }

  // feature bits of the pre-pass, one table lookup per character
  private static final int F_AT = 1;
  private static final int F_SLASH = 1 << 1;
  private static final int F_EQ = 1 << 2;
  private static final int F_QMARK = 1 << 3;
  private static final int F_SPACE = 1 << 4;
  private static final int F_DASH = 1 << 5;
  private static final int F_UPPER = 1 << 6;
  private static final int F_DOT = 1 << 7;
  private static final int F_COLON = 1 << 8;
  private static final int F_PCT = 1 << 9;
  private static final int F_PLUS = 1 << 10;
  private static final int F_TOKEN = 1 << 11;
  /** Digits set bit 12 and nothing above it, so {@code (f >>> 12) & 1} counts them. */
  private static final int F_DIGIT_SHIFT = 12;
  private static final int F_DIGIT = 1 << F_DIGIT_SHIFT;
  private static final int[] FEAT = new int[128];

  static {
    for (int c = 0; c < 128; c++) {
      int f = 0;
      byte cl = CLS[c];
      if (cl != 0) {
        f |= F_TOKEN;
      }
      if (cl == UPPER) {
        f |= F_UPPER;
      } else if (cl == DIGIT) {
        f |= F_DIGIT;
      }
      switch (c) {
        case '@' -> f |= F_AT;
        case '/' -> f |= F_SLASH;
        case '=' -> f |= F_EQ;
        case '?' -> f |= F_QMARK;
        case ' ', '\t', '\n', '\r' -> f |= F_SPACE;
        case '-' -> f |= F_DASH;
        case '.' -> f |= F_DOT;
        case ':' -> f |= F_COLON;
        case '%' -> f |= F_PCT;
        case '+' -> f |= F_PLUS;
        default -> { }
      }
      FEAT[c] = f;
    }
  }

  private final boolean jwt, bearer, basic, aws, gcp, github, slack, token, privateKey, email, card, iban,
      userinfo, cookie, query, secretParam, ip;
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
    jwt = enabled.contains(DetectorKind.JWT);
    bearer = enabled.contains(DetectorKind.BEARER);
    basic = enabled.contains(DetectorKind.BASIC);
    aws = enabled.contains(DetectorKind.AWS_KEY);
    gcp = enabled.contains(DetectorKind.GCP_KEY);
    github = enabled.contains(DetectorKind.GITHUB_TOKEN);
    slack = enabled.contains(DetectorKind.SLACK_TOKEN);
    token = enabled.contains(DetectorKind.TOKEN);
    privateKey = enabled.contains(DetectorKind.PRIVATE_KEY);
    email = enabled.contains(DetectorKind.EMAIL);
    card = enabled.contains(DetectorKind.CARD);
    iban = enabled.contains(DetectorKind.IBAN);
    userinfo = enabled.contains(DetectorKind.USERINFO);
    cookie = enabled.contains(DetectorKind.COOKIE);
    query = enabled.contains(DetectorKind.QUERY);
    secretParam = enabled.contains(DetectorKind.SECRET_PARAM);
    ip = enabled.contains(DetectorKind.IP);
    this.allow = List.copyOf(allow);
  }

  /**
   * Marks a span found by the generic token rule (length and entropy) rather than by a secret's own
   * shape: such spans are dropped where they fall on an identity ({@link Identities}).
   */
  private static final int GENERIC = 1 << 16;
  private static final int KIND = GENERIC - 1;

  /** Spans found in one string: (start, end, kind ordinal [| GENERIC]) triplets. */
  private static final class Spans {
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
    // ---- pre-pass: features, digit count, longest token run
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

    Spans sp = null;
    // ---- scanners, cheapest gate first
    if (privateKey && (features & F_DASH) != 0 && s.indexOf("-----BEGIN") >= 0) {
      sp = pem(s, sp);
    }
    if (jwt && maxRun >= 10 && (features & F_DOT) != 0 && s.indexOf("eyJ") >= 0) {
      sp = jwt(s, sp);
    }
    if ((bearer || basic) && (features & (F_SPACE | F_PCT | F_PLUS)) != 0 && len >= 10) {
      sp = authScheme(s, sp, (features & F_UPPER) != 0);
    }
    if (userinfo && (features & (F_COLON | F_SLASH | F_AT)) == (F_COLON | F_SLASH | F_AT)
        && s.indexOf("://") >= 0) {
      sp = userinfo(s, sp);
    }
    if (email && ((features & F_AT) != 0 || (features & F_PCT) != 0 && s.indexOf("%40") >= 0)) {
      sp = emails(s, sp);
    }
    if (cookie && (features & F_EQ) != 0 && (s.indexOf("ookie") >= 0 || s.indexOf("OOKIE") >= 0)) {
      sp = cookies(s, sp);
    }
    if (query && (features & (F_QMARK | F_EQ)) == (F_QMARK | F_EQ)) {
      sp = queryValues(s, sp);
    }
    if (secretParam && (features & F_EQ) != 0) {
      sp = secretParams(s, sp);
    }
    if (gcp && (features & F_DOT) != 0 && s.indexOf("ya29.") >= 0) {
      sp = gcpOauth(s, sp);
    }
    if (maxRun >= 15 && (aws || gcp || github || slack || token || iban)) {
      sp = tokens(s, sp);
    }
    if (iban && (features & (F_UPPER | F_SPACE)) == (F_UPPER | F_SPACE) && digits >= 8) {
      sp = spacedIban(s, sp);
    }
    if (card && digits >= 13) {
      sp = cards(s, sp);
    }
    if (ip && digits > 0 && (features & (F_DOT | F_COLON)) != 0) {
      sp = ips(s, sp);
    }
    if (sp != null && sp.generic) {
      sp = spareIdentities(s, sp);
    }
    if (sp == null || sp.n == 0) {
      if (slot >= 0) {
        clean[slot] = s;
      }
      return s;
    }
    return rewrite(s, field, sp, counts, offset);
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
      DetectorKind k = kinds[a[i * 3 + 2] & KIND];
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

  // ------------------------------------------------------------------ helpers

  private static boolean isB64Url(char c) {
    return c < 128 && (CLS[c] & (UPPER | LOWER | DIGIT)) != 0 || c == '-' || c == '_';
  }

  private static boolean isAlnum(char c) {
    return c < 128 && (CLS[c] & (UPPER | LOWER | DIGIT)) != 0;
  }

  private static boolean isTokenChar(char c) {
    return c < 128 && CLS[c] != 0;
  }

  private static Spans add(Spans sp, int st, int en, DetectorKind k) {
    if (sp == null) {
      sp = new Spans();
    }
    sp.add(st, en, k);
    return sp;
  }

  /** A hit of the generic token rule: judged again against the identities in the string. */
  private static Spans addGeneric(Spans sp, int st, int en) {
    if (sp == null) {
      sp = new Spans();
    }
    sp.add(st, en, DetectorKind.TOKEN.ordinal() | GENERIC);
    return sp;
  }

  /**
   * Drops the generic token rule's hits where they fall on an identity (a SPIFFE ID, an Istio
   * cluster or SNI, a mesh host name): identities are recognised by their grammar, never guessed
   * at by length or entropy. Inside an identity each path segment still meets the detectors that
   * know a secret by its own shape (an {@code AKIA} key in a SPIFFE path is still a key); text
   * glued to an identity is judged again on its own. Runs only after a generic hit, so clean text
   * pays nothing for it.
   */
  private Spans spareIdentities(String s, Spans sp) {
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
          classifyToken(s, p, ids[k], out); // glued in front
        }
        int ie = Math.min(ids[k + 1], en);
        shapesOnly(s, Math.max(p, ids[k]), ie, out);
        p = ie;
      }
      if (en - p >= 15) {
        classifyToken(s, p, en, out); // glued behind
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
        Spans seg = classifyToken(s, ss, p, null);
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

  // ------------------------------------------------------------------ scanners

  private static Spans pem(String s, Spans sp) {
    int from = 0;
    int b;
    while ((b = s.indexOf("-----BEGIN", from)) >= 0) {
      int hdrEnd = s.indexOf("-----", b + 10);
      if (hdrEnd < 0) {
        break;
      }
      String hdr = s.substring(b, hdrEnd);
      if (!hdr.contains("PRIVATE KEY")) {
        from = hdrEnd + 5;
        continue;
      }
      int end = s.indexOf("-----END", hdrEnd + 5);
      int stop;
      if (end < 0) {
        stop = s.length();
      } else {
        int close = s.indexOf("-----", end + 8);
        stop = close < 0 ? s.length() : close + 5;
      }
      sp = add(sp, b, stop, DetectorKind.PRIVATE_KEY);
      from = stop;
    }
    return sp;
  }

  private static Spans jwt(String s, Spans sp) {
    int from = 0;
    int i;
    int len = s.length();
    while ((i = s.indexOf("eyJ", from)) >= 0) {
      from = i + 3;
      if (i > 0 && isB64Url(s.charAt(i - 1))) {
        continue;
      }
      int p = i;
      int dots = 0;
      int seg = 0;
      int minSeg = Integer.MAX_VALUE;
      while (p < len) {
        char c = s.charAt(p);
        if (isB64Url(c)) {
          seg++;
        } else if (c == '.' && dots < 2) {
          minSeg = Math.min(minSeg, seg);
          seg = 0;
          dots++;
        } else {
          break;
        }
        p++;
      }
      if (dots == 2 && minSeg >= 4) {
        // signature may be empty (alg none); trailing '=' padding sometimes appears
        while (p < len && s.charAt(p) == '=') {
          p++;
        }
        sp = add(sp, i, p, DetectorKind.JWT);
        from = p;
      }
    }
    return sp;
  }

  private Spans authScheme(String s, Spans sp, boolean hasUpper) {
    if (bearer) {
      sp = scheme(s, sp, "earer", "EARER", 'b', DetectorKind.BEARER, hasUpper);
    }
    if (basic) {
      sp = scheme(s, sp, "asic", "ASIC", 'b', DetectorKind.BASIC, hasUpper);
    }
    return sp;
  }

  /** Finds "[Bb]earer <cred>" (case-insensitive) and marks the credential. */
  private static Spans scheme(String s, Spans sp, String tail, String upperTail, char first, DetectorKind k,
      boolean hasUpper) {
    int len = s.length();
    String lower = null;
    int from = 1;
    int i;
    // search lower-case tail first; fall back to a lower-cased copy only if upper-case appears
    String hay = s;
    while (true) {
      i = hay.indexOf(tail, from);
      if (i < 0) {
        if (lower == null && hasUpper && s.indexOf(upperTail) >= 0) {
          lower = s.toLowerCase(java.util.Locale.ROOT);
          hay = lower;
          from = 1;
          continue;
        }
        return sp;
      }
      from = i + tail.length();
      char f = Character.toLowerCase(hay.charAt(i - 1));
      if (f != first || (i >= 2 && isAlnum(s.charAt(i - 2)))) {
        continue;
      }
      int p = i + tail.length();
      if (p < len && (s.charAt(p) == ':' || s.charAt(p) == '=')) {
        p++;
      }
      int ws = p;
      while (p < len) {
        char c = s.charAt(p);
        if (c == ' ' || c == '\t' || c == '+' || c == '_') {
          p++;
        } else if (c == '%' && s.startsWith("20", p + 1)) {
          p += 3; // URL-encoded space
        } else {
          break;
        }
      }
      if (p == ws && !(p > 0 && (s.charAt(p - 1) == ':' || s.charAt(p - 1) == '='))) {
        continue;
      }
      int st = p;
      while (p < len) {
        char c = s.charAt(p);
        if (isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '%') {
          p++;
        } else {
          break;
        }
      }
      if (p - st >= 4) {
        sp = add(sp, st, p, k);
        from = p;
      }
    }
  }

  private static Spans userinfo(String s, Spans sp) {
    int from = 0;
    int i;
    int len = s.length();
    while ((i = s.indexOf("://", from)) >= 0) {
      int st = i + 3;
      int p = st;
      int at = -1;
      while (p < len) {
        char c = s.charAt(p);
        if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'') {
          break;
        }
        if (c == '@') {
          at = p;
        }
        p++;
      }
      if (at > st) {
        sp = add(sp, st, at, DetectorKind.USERINFO);
      }
      from = Math.max(p, i + 3);
    }
    return sp;
  }

  private static boolean isLocalPart(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static Spans emails(String s, Spans sp) {
    sp = emails(s, sp, "@");
    if (s.indexOf("%40") >= 0) {
      sp = emails(s, sp, "%40"); // URL-encoded
    }
    return sp;
  }

  private static Spans emails(String s, Spans sp, String sep) {
    int from = 0;
    int at;
    int len = s.length();
    int w = sep.length();
    while ((at = s.indexOf(sep, from)) >= 0) {
      from = at + w;
      if (sp != null && (sp.covers(at) || (at > 0 && sp.covers(at - 1)))) {
        continue; // user-info of a URL, already marked
      }
      int l = at;
      while (l > 0 && isLocalPart(s.charAt(l - 1))) {
        l--;
      }
      int r = at + w;
      int lastDot = -1;
      while (r < len) {
        char c = s.charAt(r);
        if (isAlnum(c) || c == '-') {
          r++;
        } else if (c == '.' && r + 1 < len && isAlnum(s.charAt(r + 1))) {
          lastDot = r;
          r++;
        } else {
          break;
        }
      }
      if (l < at && lastDot > at + w) {
        int tld = 0;
        for (int k = lastDot + 1; k < r; k++) {
          char c = s.charAt(k);
          if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            tld++;
          } else {
            tld = -1;
            break;
          }
        }
        if (tld >= 2) {
          sp = add(sp, l, r, DetectorKind.EMAIL);
          from = r;
        }
      }
    }
    return sp;
  }

  /** "Cookie: a=1; b=2" / "set-cookie=a=1": every pair value after the word cookie until end of line. */
  private static Spans cookies(String s, Spans sp) {
    int len = s.length();
    int from = 0;
    while (from < len) {
      int i = indexOfIgnoreCase(s, "cookie", from);
      if (i < 0) {
        return sp;
      }
      int p = i + 6;
      while (p < len && (s.charAt(p) == ' ' || s.charAt(p) == '"' || s.charAt(p) == '\'')) {
        p++;
      }
      if (p >= len || (s.charAt(p) != ':' && s.charAt(p) != '=')) {
        from = i + 6;
        continue;
      }
      p++;
      int lineEnd = p;
      while (lineEnd < len && s.charAt(lineEnd) != '\n' && s.charAt(lineEnd) != '\r' && s.charAt(lineEnd) != '"') {
        lineEnd++;
      }
      sp = cookiePairs(s, p, lineEnd, sp);
      from = lineEnd;
    }
    return sp;
  }

  /** Marks the values of "name=value; name=value" between [p, end). Bare values are marked whole. */
  private static Spans cookiePairs(String s, int p, int end, Spans sp) {
    while (p < end) {
      while (p < end && (s.charAt(p) == ' ' || s.charAt(p) == ';' || s.charAt(p) == ',')) {
        p++;
      }
      int nameStart = p;
      while (p < end && s.charAt(p) != '=' && s.charAt(p) != ';') {
        p++;
      }
      if (p < end && s.charAt(p) == '=') {
        int vs = p + 1;
        int ve = vs;
        while (ve < end && s.charAt(ve) != ';') {
          ve++;
        }
        if (ve > vs) {
          sp = add(sp, vs, ve, DetectorKind.COOKIE);
        }
        p = ve;
      } else if (p > nameStart && !isCookieAttribute(s, nameStart, p)) {
        sp = add(sp, nameStart, p, DetectorKind.COOKIE);
      }
    }
    return sp;
  }

  private static boolean isCookieAttribute(String s, int st, int en) {
    String w = s.substring(st, en).trim();
    return w.equalsIgnoreCase("HttpOnly") || w.equalsIgnoreCase("Secure") || w.isEmpty();
  }

  /** Marks the values of all cookie pairs in a whole header value (attribute fields named cookie / set-cookie). */
  public String cookieHeader(String value, int[] counts, int offset) {
    Spans sp = cookiePairs(value, 0, value.length(), null);
    if (sp == null) {
      return value;
    }
    return rewrite(value, null, sp, counts, offset);
  }

  private static int indexOfIgnoreCase(String s, String lowerNeedle, int from) {
    int n = lowerNeedle.length();
    int max = s.length() - n;
    char f = lowerNeedle.charAt(0);
    for (int i = from; i <= max; i++) {
      char c = s.charAt(i);
      if ((c | 0x20) == f && s.regionMatches(true, i, lowerNeedle, 0, n)) {
        return i;
      }
    }
    return -1;
  }

  private static Spans queryValues(String s, Spans sp) {
    int len = s.length();
    int q;
    int from = 0;
    while ((q = s.indexOf('?', from)) >= 0) {
      int p = q + 1;
      from = p;
      if (p >= len) {
        break;
      }
      int end = p;
      while (end < len) {
        char c = s.charAt(end);
        if (c == ' ' || c == '#' || c == '"' || c == '\'' || c == '\n' || c == '\t' || c == '\r' || c == '>') {
          break;
        }
        end++;
      }
      while (p < end) {
        int amp = p;
        while (amp < end && s.charAt(amp) != '&' && s.charAt(amp) != ';') {
          amp++;
        }
        int eq = s.indexOf('=', p);
        if (eq >= 0 && eq < amp && amp > eq + 1) {
          sp = add(sp, eq + 1, amp, DetectorKind.QUERY);
        }
        p = amp + 1;
      }
      from = end;
    }
    return sp;
  }

  private static final String[] SECRET_NAMES = {"pass", "pwd", "secret", "token", "apikey", "api_key", "api-key",
      "access_key", "accesskey", "auth", "credential", "session", "signature", "sig", "key", "jwt", "cookie", "otp"};

  private static Spans secretParams(String s, Spans sp) {
    int len = s.length();
    int eq;
    int from = 0;
    while ((eq = s.indexOf('=', from)) >= 0) {
      from = eq + 1;
      int ns = eq;
      while (ns > 0 && (isAlnum(s.charAt(ns - 1)) || s.charAt(ns - 1) == '_' || s.charAt(ns - 1) == '-')) {
        ns--;
      }
      if (ns == eq || eq + 1 >= len) {
        continue;
      }
      if (!secretName(s, ns, eq)) {
        continue;
      }
      int ve = eq + 1;
      if (s.regionMatches(true, ve, "bearer ", 0, 7) || s.regionMatches(true, ve, "basic ", 0, 6)) {
        continue; // the auth-scheme detectors mark the credential, the scheme word is not secret
      }
      char q0 = s.charAt(ve);
      if (q0 == '"' || q0 == '\'') {
        int close = s.indexOf(q0, ve + 1);
        ve = close < 0 ? len : close;
        sp = add(sp, eq + 2, ve, DetectorKind.SECRET_PARAM);
        from = ve;
        continue;
      }
      while (ve < len) {
        char c = s.charAt(ve);
        if (c == '&' || c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\''
            || c == ']' || c == ')' || c == '}' || c == '>' || c == '<') {
          break;
        }
        ve++;
      }
      sp = add(sp, eq + 1, ve, DetectorKind.SECRET_PARAM);
      from = ve;
    }
    return sp;
  }

  private static boolean secretName(String s, int st, int en) {
    for (String n : SECRET_NAMES) {
      int nl = n.length();
      for (int i = st; i + nl <= en; i++) {
        if (s.regionMatches(true, i, n, 0, nl)) {
          // "key" alone must be the whole name or a suffix like api_key / x-key
          if (n.equals("key") && !(i + nl == en)) {
            continue;
          }
          if (n.equals("sig") && !(i == st && en - st <= 4) && !(i + nl == en)) {
            continue;
          }
          return true;
        }
      }
    }
    return false;
  }

  private static Spans gcpOauth(String s, Spans sp) {
    int from = 0;
    int i;
    int len = s.length();
    while ((i = s.indexOf("ya29.", from)) >= 0) {
      int p = i + 5;
      while (p < len && (isB64Url(s.charAt(p)) || s.charAt(p) == '.')) {
        p++;
      }
      if (p - i >= 20) {
        sp = add(sp, i, p, DetectorKind.GCP_KEY);
      }
      from = p;
    }
    return sp;
  }

  /** Token-shaped secrets: runs of [A-Za-z0-9+/=_-] of 15+ characters. */
  private Spans tokens(String s, Spans sp) {
    int len = s.length();
    int i = 0;
    while (i < len) {
      char c = s.charAt(i);
      if (!isTokenChar(c)) {
        i++;
        continue;
      }
      int st = i;
      while (i < len && isTokenChar(s.charAt(i))) {
        i++;
      }
      int en = i;
      if (en - st < 15) {
        continue;
      }
      if (sp != null && sp.covers(st)) {
        continue;
      }
      if (s.charAt(st) == '/' || hasDoubleSlash(s, st, en)) {
        // path-like: judge each segment on its own
        int p = st;
        while (p < en) {
          while (p < en && s.charAt(p) == '/') {
            p++;
          }
          int ss = p;
          while (p < en && s.charAt(p) != '/') {
            p++;
          }
          if (p - ss >= 15) {
            sp = classifyToken(s, ss, p, sp);
          }
        }
      } else {
        sp = classifyToken(s, st, en, sp);
      }
    }
    return sp;
  }

  private static boolean hasDoubleSlash(String s, int st, int en) {
    for (int k = st + 1; k < en; k++) {
      if (s.charAt(k) == '/' && s.charAt(k - 1) == '/') {
        return true;
      }
    }
    return false;
  }

  private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA", "ABIA",
      "ACCA"};
  private static final String[] TOKEN_PREFIXES = {"sk_live_", "rk_live_", "sk_test_", "rk_test_", "pk_live_",
      "glpat-", "npm_", "hf_", "SG.", "shpat_", "dop_v1_"};

  private Spans classifyToken(String s, int st, int en, Spans sp) {
    int n = en - st;
    // one pass: where is a "name=value" '=' (not base64 padding), which classes occur
    int eq = -1;
    boolean up = false, lo = false, dg = false;
    for (int k = st; k < en; k++) {
      char c = s.charAt(k);
      byte cl = CLS[c];
      if (cl == UPPER) {
        up = true;
      } else if (cl == LOWER) {
        lo = true;
      } else if (cl == DIGIT) {
        dg = true;
      } else if (c == '=' && k + 1 < en && s.charAt(k + 1) != '=') {
        eq = k;
      }
    }
    if (eq >= 0) {
      // name=value: judge both sides on their own (the secret_param detector looks at the name)
      if (eq - st >= 15) {
        sp = classifyToken(s, st, eq, sp);
      }
      return en - (eq + 1) >= 15 ? classifyToken(s, eq + 1, en, sp) : sp;
    }
    switch (s.charAt(st)) {
      case 'A' -> {
        if (aws && n >= 20) {
          for (String p : AWS_PREFIXES) {
            if (s.startsWith(p, st)) {
              int k = st + 4;
              while (k < en && (isUpper(s.charAt(k)) || isDigit(s.charAt(k)))) {
                k++;
              }
              if (k - st >= 20) {
                return add(sp, st, en, DetectorKind.AWS_KEY);
              }
            }
          }
        }
        if (gcp && n >= 35 && s.startsWith("AIza", st)) {
          return add(sp, st, en, DetectorKind.GCP_KEY);
        }
      }
      case 'g' -> {
        if (github && n >= 36 && s.charAt(st + 1) == 'h' && s.charAt(st + 3) == '_'
            && "pousr".indexOf(s.charAt(st + 2)) >= 0) {
          return add(sp, st, en, DetectorKind.GITHUB_TOKEN);
        }
        if (github && s.startsWith("github_pat_", st)) {
          return add(sp, st, en, DetectorKind.GITHUB_TOKEN);
        }
      }
      case 'x' -> {
        if (slack && (s.startsWith("xox", st) && "abprse".indexOf(s.charAt(st + 3)) >= 0
            && s.charAt(st + 4) == '-' || s.startsWith("xapp-", st))) {
          return add(sp, st, en, DetectorKind.SLACK_TOKEN);
        }
      }
      default -> { }
    }
    if (token && "srpgnhSd".indexOf(s.charAt(st)) >= 0) {
      for (String p : TOKEN_PREFIXES) {
        if (s.startsWith(p, st) && n >= p.length() + 10) {
          return add(sp, st, en, DetectorKind.TOKEN);
        }
      }
    }
    if (!dg) {
      return sp; // IBANs and generic tokens have digits; words and CONSTANT_NAMES do not
    }
    if (iban && n <= 34 && isIbanStart(s, st) && ibanValid(s, st, en)) {
      return add(sp, st, en, DetectorKind.IBAN);
    }
    if (token && n >= MIN_GENERIC && highEntropy(s, st, en)) {
      return addGeneric(sp, st, en);
    }
    return sp;
  }

  /** Shortest text the generic token rule judges. */
  private static final int MIN_GENERIC = 20;

  /**
   * Generic secret test: base64-like mixture (upper, lower and digits), or 32+ alphanumerics with
   * digits and non-hex letters, and Shannon entropy of at least 3.5 (4.0 for the long form) bits
   * per character. Pure hex (fingerprints, ids, hashes) and words are not flagged.
   */
  static boolean highEntropy(String s, int st, int en) {
    int n = en - st;
    boolean up = false, lo = false, dg = false, nonHexLetter = false;
    int punct = 0;
    for (int k = st; k < en; k++) {
      char c = s.charAt(k);
      byte cl = CLS[c];
      if (cl == UPPER) {
        up = true;
        if (c > 'F') {
          nonHexLetter = true;
        }
      } else if (cl == LOWER) {
        lo = true;
        if (c > 'f') {
          nonHexLetter = true;
        }
      } else if (cl == DIGIT) {
        dg = true;
      } else {
        punct++;
      }
    }
    if (punct * 3 > n) {
      return false; // mostly punctuation: separators, not a token
    }
    boolean mixed = up && lo && dg;
    boolean longAlnum = n >= 32 && dg && nonHexLetter && (up || lo);
    if (!mixed && !longAlnum) {
      return false;
    }
    return entropy(s, st, en) >= (mixed ? 3.5 : 4.0);
  }

  /**
   * Shannon entropy in bits per character: log2(n) - (1/n) * sum(f * log2 f), with log2 from a
   * table (no Math.log on the hot path) and the counts in a per-thread scratch array.
   */
  static double entropy(String s, int st, int en) {
    int n = en - st;
    if (n > MAX_TABLE) {
      return entropySlow(s, st, en);
    }
    int[] freq = FREQ.get();
    double sum = 0;
    for (int k = st; k < en; k++) {
      freq[s.charAt(k) & 127]++;
    }
    for (int k = st; k < en; k++) {
      int c = s.charAt(k) & 127;
      int f = freq[c];
      if (f != 0) {
        sum += f * LOG2[f];
        freq[c] = 0; // count each symbol once, and leave the scratch array zeroed
      }
    }
    return LOG2[n] - sum / n;
  }

  private static final int MAX_TABLE = 1024;
  private static final double[] LOG2 = new double[MAX_TABLE + 1];
  private static final ThreadLocal<int[]> FREQ = ThreadLocal.withInitial(() -> new int[128]);

  static {
    for (int i = 1; i <= MAX_TABLE; i++) {
      LOG2[i] = Math.log(i) / Math.log(2);
    }
  }

  private static double entropySlow(String s, int st, int en) {
    int[] freq = new int[128];
    int n = en - st;
    for (int k = st; k < en; k++) {
      freq[s.charAt(k) & 127]++;
    }
    double h = 0;
    for (int f : freq) {
      if (f > 0) {
        double p = (double) f / n;
        h -= p * (Math.log(p) / LN2);
      }
    }
    return h;
  }

  private static final double LN2 = Math.log(2);

  private static boolean isIbanStart(String s, int st) {
    return st >= 0 && st + 4 <= s.length() && isDigit(s.charAt(st + 2)) && isUpper(s.charAt(st)) && isUpper(s.charAt(st + 1))
        && isDigit(s.charAt(st + 3));
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** ISO 13616 mod-97 check over [st, en), ignoring spaces. */
  static boolean ibanValid(String s, int st, int en) {
    int count = 0;
    for (int k = st; k < en; k++) {
      char c = s.charAt(k);
      if (c == ' ') {
        continue;
      }
      if (!isUpper(c) && !isDigit(c)) {
        return false;
      }
      count++;
    }
    if (count < 15 || count > 34) {
      return false;
    }
    int rem = 0;
    // rearranged: chars from position 4 on, then the first four
    int seen = 0;
    for (int pass = 0; pass < 2; pass++) {
      seen = 0;
      for (int k = st; k < en; k++) {
        char c = s.charAt(k);
        if (c == ' ') {
          continue;
        }
        boolean head = seen < 4;
        seen++;
        if (head != (pass == 1)) {
          continue;
        }
        if (isDigit(c)) {
          rem = (rem * 10 + (c - '0')) % 97;
        } else {
          int v = c - 'A' + 10;
          rem = (rem * 100 + v) % 97;
        }
      }
    }
    return rem == 1;
  }

  private static Spans spacedIban(String s, Spans sp) {
    int len = s.length();
    int from = 4;
    int space;
    // a spaced IBAN starts four characters before a space: "DE89 3704 ..."
    while ((space = s.indexOf(' ', from)) >= 0) {
      from = space + 1;
      int i = space - 4;
      if (!isIbanStart(s, i) || (i > 0 && isAlnum(s.charAt(i - 1)))) {
        continue;
      }
      if (sp != null && sp.covers(i)) {
        continue;
      }
      int p = i;
      int count = 0;
      int lastGood = -1;
      while (p < len && count < 34) {
        char c = s.charAt(p);
        if (isUpper(c) || isDigit(c)) {
          count++;
          p++;
          if (count >= 15 && (p == len || !isAlnum(s.charAt(p)))) {
            if (ibanValid(s, i, p)) {
              lastGood = p;
            }
          }
        } else if (c == ' ' && p + 1 < len && isAlnum(s.charAt(p + 1)) && p > i) {
          p++;
        } else {
          break;
        }
      }
      if (lastGood > 0) {
        sp = add(sp, i, lastGood, DetectorKind.IBAN);
        from = lastGood;
      }
    }
    return sp;
  }

  private static Spans cards(String s, Spans sp) {
    int len = s.length();
    int i = 0;
    while (i < len) {
      char c = s.charAt(i);
      if (!isDigit(c) || (i > 0 && isAlnum(s.charAt(i - 1)))) {
        i++;
        continue;
      }
      int st = i;
      int n = 0;
      int p = i;
      int lastEnd = -1;
      while (p < len) {
        char ch = s.charAt(p);
        if (isDigit(ch)) {
          n++;
          p++;
          lastEnd = p;
        } else if ((ch == ' ' || ch == '-') && p + 1 < len && isDigit(s.charAt(p + 1)) && p > st) {
          p++;
        } else {
          break;
        }
      }
      if (n >= 13 && (lastEnd >= len || !isAlnum(s.charAt(lastEnd)))) {
        sp = cardsInRun(s, st, lastEnd, sp);
      }
      i = Math.max(p, st + 1);
      while (i < len && isDigit(s.charAt(i))) {
        i++;
      }
    }
    return sp;
  }

  /**
   * A run of digit groups ("443 4111 1111 1111 1111 2024"): tries every group start and keeps the
   * longest 13-19 digit span ending at a group end that has a card prefix and passes Luhn.
   */
  private static Spans cardsInRun(String s, int st, int end, Spans sp) {
    int gs = st;
    while (gs < end) {
      int digits = 0;
      int best = -1;
      for (int p = gs; p < end; p++) {
        if (!isDigit(s.charAt(p))) {
          continue;
        }
        if (++digits > 19) {
          break;
        }
        boolean groupEnd = p + 1 == end || !isDigit(s.charAt(p + 1));
        if (digits >= 13 && groupEnd && cardPrefix(s, gs, digits) && luhn(s, gs, p + 1)) {
          best = p + 1;
        }
      }
      if (best > 0) {
        if (sp == null || !sp.covers(gs)) {
          sp = add(sp, gs, best, DetectorKind.CARD);
        }
        gs = best;
      }
      // next group start
      while (gs < end && isDigit(s.charAt(gs))) {
        gs++;
      }
      while (gs < end && !isDigit(s.charAt(gs))) {
        gs++;
      }
    }
    return sp;
  }

  /** The k-th digit (0-based) at or after st, skipping separators. */
  private static int digitAt(String s, int st, int k) {
    for (int p = st; p < s.length(); p++) {
      char c = s.charAt(p);
      if (isDigit(c)) {
        if (k-- == 0) {
          return c - '0';
        }
      }
    }
    return -1;
  }

  private static boolean cardPrefix(String s, int st, int n) {
    int d0 = digitAt(s, st, 0);
    int d1 = digitAt(s, st, 1);
    int p2 = d0 * 10 + d1;
    return switch (d0) {
      case 4 -> n == 13 || n == 16 || n == 19; // Visa
      case 5 -> p2 >= 51 && p2 <= 55 && n == 16; // Mastercard
      case 2 -> {
        int p4 = p2 * 100 + digitAt(s, st, 2) * 10 + digitAt(s, st, 3);
        yield p4 >= 2221 && p4 <= 2720 && n == 16;
      }
      case 3 -> (p2 == 34 || p2 == 37) && n == 15 || (p2 == 36 || p2 == 38 || p2 == 30) && n == 14
          || p2 == 35 && n >= 16; // Amex, Diners, JCB
      case 6 -> n >= 16; // Discover, UnionPay, Maestro
      default -> false;
    };
  }

  /** Luhn check over the digits in [st, en), separators skipped. */
  static boolean luhn(String s, int st, int en) {
    int sum = 0;
    boolean dbl = false;
    for (int k = en - 1; k >= st; k--) {
      char c = s.charAt(k);
      if (!isDigit(c)) {
        continue;
      }
      int v = c - '0';
      if (dbl) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  private static Spans ips(String s, Spans sp) {
    int len = s.length();
    int i = 0;
    while (i < len) {
      char c = s.charAt(i);
      boolean hex = isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!(hex || c == ':') || (i > 0 && (isAlnum(s.charAt(i - 1)) || s.charAt(i - 1) == '.'))) {
        i++;
        continue;
      }
      int v4 = ipv4End(s, i);
      if (v4 > 0) {
        sp = add(sp, i, v4, DetectorKind.IP);
        i = v4;
        continue;
      }
      int v6 = ipv6End(s, i);
      if (v6 > 0) {
        sp = add(sp, i, v6, DetectorKind.IP);
        i = v6;
        continue;
      }
      i++;
      while (i < len && isAlnum(s.charAt(i))) {
        i++;
      }
    }
    return sp;
  }

  /** End of a dotted-quad IPv4 address starting at i, or -1. */
  static int ipv4End(String s, int i) {
    int len = s.length();
    int p = i;
    for (int part = 0; part < 4; part++) {
      int st = p;
      int v = 0;
      while (p < len && isDigit(s.charAt(p)) && p - st < 3) {
        v = v * 10 + (s.charAt(p) - '0');
        p++;
      }
      if (p == st || v > 255) {
        return -1;
      }
      if (part < 3) {
        if (p >= len || s.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
    }
    if (p < len && (isAlnum(s.charAt(p)) || (s.charAt(p) == '.' && p + 1 < len && isDigit(s.charAt(p + 1))))) {
      return -1;
    }
    return p;
  }

  /** End of an IPv6 address starting at i (at least two ':' and either "::" or 7 colons), or -1. */
  static int ipv6End(String s, int i) {
    int len = s.length();
    int p = i;
    int colons = 0;
    int groupLen = 0;
    boolean dbl = false;
    int lastGoodEnd = -1;
    while (p < len) {
      char c = s.charAt(p);
      if (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        if (++groupLen > 4) {
          return -1;
        }
        p++;
        lastGoodEnd = p;
      } else if (c == ':') {
        if (p + 1 < len && s.charAt(p + 1) == ':') {
          if (dbl) {
            break;
          }
          dbl = true;
          colons += 2;
          p += 2;
          lastGoodEnd = p;
        } else {
          colons++;
          p++;
        }
        groupLen = 0;
      } else if (c == '.' && colons >= 2) {
        // embedded IPv4 (::ffff:10.0.0.1)
        int gs = p - groupLen;
        int v4 = ipv4End(s, gs);
        if (v4 > 0) {
          lastGoodEnd = v4;
          p = v4;
        }
        break;
      } else {
        break;
      }
    }
    if (lastGoodEnd < 0 || !(dbl ? colons >= 2 : colons == 7)) {
      return -1;
    }
    if (lastGoodEnd < len && isAlnum(s.charAt(lastGoodEnd))) {
      return -1;
    }
    return lastGoodEnd;
  }
}
