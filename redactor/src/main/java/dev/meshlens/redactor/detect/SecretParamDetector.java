package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** Values of pairs whose name says secret ({@code password=}, {@code token=}, {@code api_key=}...). */
final class SecretParamDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_EQ;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return secretParams(s, sp);
    }

    private static final String[] SECRET_NAMES = {
        "pass",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "access_key",
        "accesskey",
        "auth",
        "credential",
        "session",
        "signature",
        "sig",
        "key",
        "jwt",
        "cookie",
        "otp"
    };

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
}
