package dev.meshlens.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Extra Kafka client properties ({@code kafka.properties}): passed to the client as they are, except that every
 * secret-capable one ({@link #isSecret}) is held as a {@link Secret} and so prints as {@code [hidden]}.
 */
public record ClientProperties(Map<String, Object> values) {
    public static final ClientProperties EMPTY = new ClientProperties(Map.of());

    /**
     * Kafka's own password-typed client configurations (ConfigDef.Type.PASSWORD in kafka-clients; a test in the
     * collector compares this with the producer's, consumer's and Streams' tables).
     */
    static final Set<String> KAFKA_PASSWORDS = Set.of(
            "ssl.key.password",
            "ssl.keystore.password",
            "ssl.truststore.password",
            "ssl.keystore.key",
            "ssl.keystore.certificate.chain",
            "ssl.truststore.certificates",
            "sasl.jaas.config",
            "sasl.oauthbearer.client.credentials.client.secret",
            "sasl.oauthbearer.assertion.private.key.passphrase");

    public ClientProperties {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Whether a client property can hold a password, key or token: Kafka's password-typed configs, every
     * {@code ssl.*key*} (an inline PEM key, a key password), {@code sasl.jaas.config} (holds the SASL password),
     * and any name that says password, secret, passphrase or token value.
     */
    public static boolean isSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return KAFKA_PASSWORDS.contains(p)
                || p.startsWith("ssl.") && p.contains("key")
                || p.contains("jaas")
                || p.contains("password")
                || p.contains("secret")
                || p.contains("passphrase")
                || p.endsWith(".token")
                || p.endsWith("api.key");
    }

    /** The properties for the Kafka client, secrets revealed (hand straight to the client, never log). */
    public Map<String, Object> forClient() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v instanceof Secret s ? s.reveal() : v));
        return m;
    }

    /** The same as strings (clients that take a {@code Map<String, String>}). */
    public Map<String, String> forClientAsStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v instanceof Secret s ? s.reveal() : String.valueOf(v)));
        return m;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
