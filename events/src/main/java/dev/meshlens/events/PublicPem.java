package dev.meshlens.events;

import java.util.Base64;

/**
 * Keeps only what is public in a PEM text: the {@code CERTIFICATE} blocks. Private keys, encrypted
 * keys, anything else between {@code -----BEGIN} and {@code -----END} lines, and text around the
 * blocks are dropped, so a root read from a file or an API that also holds a key never carries the
 * key further (into an event, the inventory or a generated fix).
 */
public final class PublicPem {
    private PublicPem() {}

    static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    static final String END = "-----END CERTIFICATE-----";
    /** A root certificate is a few kilobytes; anything longer is not one root. */
    static final int MAX_BLOCK = 16 * 1024;

    /**
     * The certificate blocks of {@code pem}, each re-wrapped at 64 columns and ended by a newline;
     * null when there is none (or the input is null).
     */
    public static String certificatesOnly(String pem) {
        if (pem == null || pem.indexOf(BEGIN) < 0) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int b = pem.indexOf(BEGIN, from);
            if (b < 0) {
                break;
            }
            int e = pem.indexOf(END, b + BEGIN.length());
            if (e < 0) {
                break;
            }
            String body = pem.substring(b + BEGIN.length(), e);
            from = e + END.length();
            // a BEGIN of another kind inside this block means the block is not a certificate
            if (body.contains("-----") || body.length() > MAX_BLOCK) {
                continue;
            }
            String b64 = body.replaceAll("\\s+", "");
            try {
                Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            out.append(BEGIN).append('\n');
            for (int i = 0; i < b64.length(); i += 64) {
                out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
            }
            out.append(END).append('\n');
        }
        return out.isEmpty() ? null : out.toString();
    }
}
