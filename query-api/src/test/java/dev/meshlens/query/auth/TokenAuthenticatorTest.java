package dev.meshlens.query.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.query.config.QueryApiConfig.ApiToken;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {
    final TokenAuthenticator auth = new TokenAuthenticator(List.of(
            new ApiToken("team-a", TokenAuthenticator.sha256Hex("token-a"), Set.of("mesh-a"), false),
            new ApiToken("oncall", TokenAuthenticator.sha256Hex("token-admin"), Set.of(), true)));

    @Test
    void bearerTokensMapToScopes() {
        Scope a = auth.authenticate("Bearer token-a").orElseThrow();
        assertEquals("team-a", a.tokenName());
        assertTrue(a.canSee("mesh-a"));
        assertFalse(a.canSee("mesh-b"));
        assertTrue(a.canSeeAny(List.of("mesh-b", "mesh-a")));
        assertFalse(a.canSeeAny(List.of("mesh-b")));
        Scope admin = auth.authenticate("bearer token-admin").orElseThrow();
        assertTrue(admin.admin());
        assertTrue(admin.canSee("anything"));
    }

    @Test
    void unknownMissingOrMalformedTokensAreRefused() {
        assertTrue(auth.authenticate(null).isEmpty());
        assertTrue(auth.authenticate("").isEmpty());
        assertTrue(auth.authenticate("Bearer ").isEmpty());
        assertTrue(auth.authenticate("Basic dG9rZW4tYQ==").isEmpty());
        assertTrue(auth.authenticate("Bearer token-b").isEmpty());
        // the stored hash itself is not a token
        assertTrue(auth.authenticate("Bearer " + TokenAuthenticator.sha256Hex("token-a"))
                .isEmpty());
    }
}
