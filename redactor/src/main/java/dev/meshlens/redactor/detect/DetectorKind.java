package dev.meshlens.redactor.detect;

import java.util.Locale;

/** The detectors that run over every published string. A hit becomes {@code [REDACTED:<name>]}. */
public enum DetectorKind {
    /** JSON Web Tokens ({@code eyJ...}.{@code ...}.{@code ...}). */
    JWT("jwt"),
    /** The credential after {@code Bearer }. */
    BEARER("bearer"),
    /** The credential after {@code Basic }. */
    BASIC("basic"),
    /** AWS access key ids ({@code AKIA...}, {@code ASIA...}). */
    AWS_KEY("aws_key"),
    /** Google API keys ({@code AIza...}) and OAuth access tokens ({@code ya29.}). */
    GCP_KEY("gcp_key"),
    /** GitHub tokens ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}, {@code github_pat_}). */
    GITHUB_TOKEN("github_token"),
    /** Slack tokens ({@code xoxb-}, {@code xoxp-}, {@code xapp-}...). */
    SLACK_TOKEN("slack_token"),
    /** Other API-key shapes ({@code sk_live_}, {@code glpat-}, {@code npm_}) and high-entropy tokens. */
    TOKEN("token"),
    /** PEM private key blocks. */
    PRIVATE_KEY("private_key"),
    /** E-mail addresses. */
    EMAIL("email"),
    /** Payment card numbers (13-19 digits, known prefixes, Luhn check). */
    CARD("card"),
    /** IBANs (mod-97 check), compact or in groups of four. */
    IBAN("iban"),
    /** User-info in URLs ({@code scheme://user:pass@host}). */
    USERINFO("userinfo"),
    /** Values of {@code Cookie:} / {@code Set-Cookie:} pairs. */
    COOKIE("cookie"),
    /** Values of query-string parameters ({@code ?a=VALUE&b=VALUE}). */
    QUERY("query"),
    /** Values of {@code password=}, {@code token=}, {@code secret=}, {@code api_key=}... pairs. */
    SECRET_PARAM("secret_param"),
    /** IPv4 and IPv6 addresses; off unless the policy turns it on. */
    IP("ip");

    private final String wire;
    private final String marker;

    DetectorKind(String wire) {
        this.wire = wire;
        this.marker = "[REDACTED:" + wire + "]";
    }

    /** Name used in policies, markers, counts and metrics. */
    public String wireName() {
        return wire;
    }

    /** The replacement text, e.g. {@code [REDACTED:jwt]}. */
    public String marker() {
        return marker;
    }

    /** The detector with this name, or null. */
    public static DetectorKind byWireName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DetectorKind k : values()) {
            if (k.wire.equals(n)) {
                return k;
            }
        }
        return null;
    }
}
