package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;
import static dev.meshlens.redactor.detect.Spans.addGeneric;

/**
 * Names a token-shaped run by its prefix (AWS, GCP API key, GitHub, Slack, known API-key shapes), as
 * a compact IBAN, or as a generic high-entropy token; splits {@code name=value} runs. Only the
 * enabled kinds are reported.
 */
final class TokenClassifier {
    private final boolean aws, gcp, github, slack, token, iban;

    TokenClassifier(boolean aws, boolean gcp, boolean github, boolean slack, boolean token, boolean iban) {
        this.aws = aws;
        this.gcp = gcp;
        this.github = github;
        this.slack = slack;
        this.token = token;
        this.iban = iban;
    }

    /** Whether any kind this classifier reports is enabled. */
    boolean anyEnabled() {
        return aws || gcp || github || slack || token || iban;
    }

    private static final String[] AWS_PREFIXES = {
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA", "ABIA", "ACCA"
    };
    private static final String[] TOKEN_PREFIXES = {
        "sk_live_", "rk_live_", "sk_test_", "rk_test_", "pk_live_", "glpat-", "npm_", "hf_", "SG.", "shpat_", "dop_v1_"
    };

    Spans classify(String s, int st, int en, Spans sp) {
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
                sp = classify(s, st, eq, sp);
            }
            return en - (eq + 1) >= 15 ? classify(s, eq + 1, en, sp) : sp;
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
                if (github
                        && n >= 36
                        && s.charAt(st + 1) == 'h'
                        && s.charAt(st + 3) == '_'
                        && "pousr".indexOf(s.charAt(st + 2)) >= 0) {
                    return add(sp, st, en, DetectorKind.GITHUB_TOKEN);
                }
                if (github && s.startsWith("github_pat_", st)) {
                    return add(sp, st, en, DetectorKind.GITHUB_TOKEN);
                }
            }
            case 'x' -> {
                if (slack
                        && (s.startsWith("xox", st)
                                        && "abprse".indexOf(s.charAt(st + 3)) >= 0
                                        && s.charAt(st + 4) == '-'
                                || s.startsWith("xapp-", st))) {
                    return add(sp, st, en, DetectorKind.SLACK_TOKEN);
                }
            }
            default -> {}
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
        if (iban && n <= 34 && Iban.isStart(s, st) && Iban.valid(s, st, en)) {
            return add(sp, st, en, DetectorKind.IBAN);
        }
        if (token && n >= MIN_GENERIC && Entropy.highEntropy(s, st, en)) {
            return addGeneric(sp, st, en);
        }
        return sp;
    }

    /** Shortest text the generic token rule judges. */
    private static final int MIN_GENERIC = 20;
}
