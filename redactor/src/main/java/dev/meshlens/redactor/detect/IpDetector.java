package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** IPv4 and IPv6 addresses. */
final class IpDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_DIGIT;
    }

    @Override
    public int requiresAny() {
        return F_DOT | F_COLON;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return ips(s, sp);
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
