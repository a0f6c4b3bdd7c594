package dev.meshlens.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable event ids. An id is derived from where the observation was read (mesh, source, position),
 * so replaying the same line after a restart produces the same id and Elasticsearch (document id
 * = event id) never stores it twice.
 */
public final class EventIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventIds() {}

    /**
     * @param meshId the mesh
     * @param source the source's stable identity (e.g. file identity, OTLP stream, admin URL + counter)
     * @param position position inside the source (byte offset, record index, poll sequence)
     * @return 32 lower-case hex characters (128 bits of SHA-256)
     */
    public static String of(String meshId, String source, long position) {
        return of(meshId + '\u0000' + source + '\u0000' + position);
    }

    /** Id of arbitrary stable content (e.g. a finding's key). */
    public static String of(String stableContent) {
        MessageDigest md = sha256();
        byte[] d = md.digest(stableContent.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
