package dev.meshlens.redactor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the keyed hash ({@code hash} action): HMAC-SHA-256. Parties that federate share it so
 * the same request id or client address hashes to the same value on both sides without being
 * revealed. Never printed: {@link #toString()} is {@code [hidden]}.
 *
 * <p>Key material is read from a file (the whole file, trailing newline removed) or an environment
 * variable; it must be at least {@value #MIN_BYTES} bytes.
 */
public final class HashKey {
    /** Shortest accepted key, in bytes (128 bits). */
    public static final int MIN_BYTES = 16;

    private final byte[] key;
    private final String origin;
    private final ThreadLocal<Mac> macs;

    private HashKey(byte[] key, String origin) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("hash key from " + origin + " is " + key.length
                    + " bytes; it must be at least " + MIN_BYTES + " bytes (e.g. `openssl rand -hex 32`)");
        }
        this.key = key.clone();
        this.origin = origin;
        SecretKeySpec spec = new SecretKeySpec(this.key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
        });
    }

    /** A key from raw bytes (tests, or callers that hold the key already). */
    public static HashKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        return new HashKey(key, "bytes");
    }

    /** A key from a string (its UTF-8 bytes). */
    public static HashKey of(String key) {
        Objects.requireNonNull(key, "key");
        return new HashKey(key.getBytes(StandardCharsets.UTF_8), "string");
    }

    /**
     * Reads the key from a file: the whole content, with one trailing newline removed.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is too short
     */
    public static HashKey fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read hash key file " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
            n--;
        }
        byte[] trimmed = Arrays.copyOf(b, n);
        Arrays.fill(b, (byte) 0);
        return new HashKey(trimmed, "file " + file);
    }

    /** Reads the key from the environment variable {@code name}. */
    public static HashKey fromEnv(String name) {
        return fromEnv(name, System.getenv());
    }

    /** Reads the key from {@code env} (testable form of {@link #fromEnv(String)}). */
    public static HashKey fromEnv(String name, Map<String, String> env) {
        Objects.requireNonNull(name, "name");
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + name + " (hash key) is not set");
        }
        return new HashKey(v.getBytes(StandardCharsets.UTF_8), "environment variable " + name);
    }

    /** Where the key came from, e.g. {@code file /etc/meshlens/hash.key} (never the key). */
    public String origin() {
        return origin;
    }

    /**
     * HMAC-SHA-256 of the UTF-8 bytes of {@code value}, lower-case hex, cut to {@code hexChars}
     * characters (0 or 64 = full length).
     */
    public String hmacHex(String value, int hexChars) {
        Mac mac = macs.get();
        byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        int n = hexChars <= 0 || hexChars > 64 ? 64 : hexChars;
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            int b = d[i >> 1];
            out[i] = HEX[(i & 1) == 0 ? (b >> 4) & 0xf : b & 0xf];
        }
        return new String(out);
    }

    /** Constant-time comparison of key material (for tests and key rotation checks). */
    public boolean sameKeyAs(HashKey other) {
        return other != null && MessageDigest.isEqual(key, other.key);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String toString() {
        return "[hidden]";
    }
}
