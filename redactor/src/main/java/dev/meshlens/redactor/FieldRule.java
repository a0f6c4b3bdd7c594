package dev.meshlens.redactor;

/**
 * One {@code fields:} entry of a policy.
 *
 * @param name the name as written ({@code path}, {@code attributes.x-tenant}, {@code attributes.*})
 * @param field the event field, or null for {@code attributes.<name>}
 * @param action what to do
 * @param generalisation target of {@code generalise}, else null
 * @param hashLength hex characters kept of the HMAC (8..64) for {@code hash}
 * @param ipv4Prefix network prefix for IPv4 generalisation
 * @param ipv6Prefix network prefix for IPv6 generalisation
 * @param line line of the entry in the policy file (0 when built in code)
 */
public record FieldRule(
        String name,
        Field field,
        Action action,
        Generalisation generalisation,
        int hashLength,
        int ipv4Prefix,
        int ipv6Prefix,
        int line) {

    public static final int DEFAULT_HASH_LENGTH = 32;
    public static final int DEFAULT_IPV4_PREFIX = 24;
    public static final int DEFAULT_IPV6_PREFIX = 64;

    /** True for an {@code attributes.<name>} rule. */
    public boolean isAttribute() {
        return field == null;
    }

    /** The header name of an attribute rule (lower case; {@code *} for the catch-all), else null. */
    public String attributeName() {
        return field == null ? name.substring(Field.ATTRIBUTES_PREFIX.length()) : null;
    }
}
