package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyErrorsTest {
    static PolicyException fail(String yaml) {
        return fail(yaml, Map.of());
    }

    static PolicyException fail(String yaml, Map<String, String> env) {
        return assertThrows(PolicyException.class, () -> RedactionPolicy.parse(yaml, "p.yaml", env));
    }

    @Test
    void unknownFieldNamesLineAndSuggestsFix() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          path: keep
          user_agnet: drop
        """);
        assertEquals(5, e.line());
        assertTrue(e.getMessage().startsWith("p.yaml line 5: unknown field 'user_agnet'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'user_agent'?"), e.getMessage());
    }

    @Test
    void unknownAction() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          path: redact
        """);
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown action 'redact' for field 'path'"), e.getMessage());
        assertTrue(e.fix().contains("keep, drop, mask, hash, generalise"));
    }

    @Test
    void badRegex() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields: {path: keep}
        allow:
          - pattern: '^spiffe://(unclosed'
        """);
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("bad regular expression"), e.getMessage());
    }

    @Test
    void hashWithoutKey() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          path: keep
          request_id: hash
        """);
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("uses `hash` but the policy has no `hash_key`"), e.getMessage());
        assertTrue(e.fix().contains("hash_key: {env: MESHLENS_HASH_KEY}"));
    }

    @Test
    void hashKeyEnvMissing() {
        PolicyException e = fail("""
        id: x
        version: "1"
        hash_key:
          env: MESHLENS_TEST_KEY
        fields:
          request_id: hash
        """);
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("MESHLENS_TEST_KEY is not set"), e.getMessage());
    }

    @Test
    void hashKeyFile(@TempDir Path dir) throws Exception {
        String yaml = """
        id: x
        version: "1"
        hash_key: {file: key.txt}
        fields:
          request_id: hash
        """;
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, yaml);
        PolicyException e = assertThrows(PolicyException.class, () -> RedactionPolicy.load(p, Map.of()));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Files.writeString(dir.resolve("key.txt"), "short\n");
        e = assertThrows(PolicyException.class, () -> RedactionPolicy.load(p, Map.of()));
        assertTrue(e.getMessage().contains("at least 16 bytes"), e.getMessage());
        Files.writeString(dir.resolve("key.txt"), "0123456789abcdef0123\n");
        RedactionPolicy ok = RedactionPolicy.load(p, Map.of());
        assertEquals("[hidden]", ok.hashKey().orElseThrow().toString());
        assertTrue(ok.toString().contains("[hidden]"));
    }

    @Test
    void externalKeyReplacesHashKeySection(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, "id: x\nversion: '1'\nfields:\n  request_id: hash\n");
        assertThrows(PolicyException.class, () -> RedactionPolicy.load(p, Map.of()));
        HashKey k = HashKey.of("collector-config-key-0123");
        RedactionPolicy ok = RedactionPolicy.load(p, k);
        assertTrue(ok.hashKey().orElseThrow().sameKeyAs(k));
    }

    @Test
    void requiredFieldCannotBeDropped() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          event_id: drop
        """);
        assertTrue(e.getMessage().contains("required by the event schema"), e.getMessage());
    }

    @Test
    void nonTextActions() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          response_code: mask
        """);
        assertTrue(e.getMessage().contains("is not text"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyAndOption() {
        assertTrue(fail("""
        id: x
        version: "1"
        alow_all: true
        """).getMessage().contains("did you mean 'allow_all'"));
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          path: {action: hash, lenght: 8}
        """);
        assertEquals(4, e.line());
    }

    @Test
    void missingIdAndEmpty() {
        assertTrue(fail("version: '1'\nfields: {path: keep}\n").getMessage().contains("missing `id`"));
        assertTrue(fail("").getMessage().contains("empty"));
        assertTrue(fail("id: x\nversion: 1\n").getMessage().contains("no `fields`"));
    }

    @Test
    void tlsPartsNeedCategory() {
        PolicyException e = fail("""
        id: x
        version: "1"
        fields:
          tls.raw_text: keep
        """);
        assertTrue(e.getMessage().contains("tls.category"), e.getMessage());
    }

    @Test
    void unknownDetectorAndBadYaml() {
        assertTrue(fail("id: x\nversion: 1\nfields: {path: keep}\ndetectors: {jwtt: false}\n")
                .getMessage()
                .contains("unknown detector 'jwtt'"));
        PolicyException y = fail("id: x\nversion: 1\nfields:\n  path: keep\n    bad: indent\n");
        assertTrue(y.line() > 0, y.getMessage());
    }

    @Test
    void defaultPolicyLoads() {
        RedactionPolicy p = RedactionPolicy.defaultPolicy();
        assertEquals("meshlens-default", p.id());
        assertTrue(!p.allowAll());
        assertTrue(!p.needsHashKey());
    }
}
