package dev.meshlens.query.auth;

import dev.meshlens.query.config.QueryApiConfig.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Bearer tokens checked against their SHA-256 hashes from the configuration; the tokens
 * themselves are never stored or logged.
 */
public final class TokenAuthenticator {
    private final Map<String, Scope> byHash = new HashMap<>();

    public TokenAuthenticator(List<ApiToken> tokens) {
        for (ApiToken t : tokens) {
            byHash.put(t.sha256(), t.admin() ? Scope.admin(t.name()) : Scope.meshes(t.name(), t.meshes()));
        }
    }

    /** The scope of an {@code Authorization} header value, empty when missing or unknown. */
    public Optional<Scope> authenticate(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String h = authorizationHeader.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = h.substring(7).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256Hex(token)));
    }

    public static String sha256Hex(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The team that owns a mesh, as the token configuration says it: the names of the tokens granted
     * that mesh (not admin tokens), sorted and joined; null when no team token names it.
     */
    public String teamOf(String mesh) {
        TreeSet<String> names = new TreeSet<>();
        for (Scope s : byHash.values()) {
            if (!s.admin() && s.meshes().contains(mesh)) {
                names.add(s.tokenName());
            }
        }
        return names.isEmpty() ? null : String.join(", ", names);
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }
}
