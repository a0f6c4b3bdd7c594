package dev.meshlens.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.ConfigException;
import dev.meshlens.config.Environment;
import dev.meshlens.config.Key;
import dev.meshlens.config.Settings;
import dev.meshlens.config.Type;
import dev.meshlens.dist.ServiceMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1: a secret planted in every secret-capable key of every service (its secret keys, inline, from a
 * file and from the environment; the secret-capable Kafka client properties, among them an inline PEM private key)
 * appears nowhere in what the service prints about its configuration: the resolved configuration, warnings,
 * errors, and what each service prints for --check, run through the container image's entry point.
 */
class PlantedSecretsTest {
    static final String PLANTED = "PLANTED-s3cret-7f1c";
    static final String PEM = "-----BEGIN PRIVATE KEY-----\\nMIIEv" + PLANTED + "\\n-----END PRIVATE KEY-----";
    static final String HASH_PLANTED = "0123456789abcdef0123456789abcdef0123456789abcdef" + "7f1c7f1c7f1c7f1c";

    /** A config with the service's required keys and a planted secret in each secret-capable key. */
    static String config(ConfigDef def, String how, Path secretFile) {
        StringBuilder y = new StringBuilder();
        switch (def.service()) {
            case "collector" ->
                y.append("""
          mesh: {id: m}
          sources:
            trust_bundles:
              - consul_url: http://127.0.0.1:8500
                %s
          redaction: {%s}
          """.formatted(secret("token", how, secretFile), secret("hash_key", how, secretFile)));
            case "redactor" -> y.append("mesh: m\ninput: {topic: raw}\n");
            case "query-api" ->
                y.append("""
          elasticsearch:
            urls: [http://127.0.0.1:9200]
            username: elastic
            %s
            %s
          auth:
            tokens:
              - {name: oncall, admin: true, %s}
          """.formatted(
                                secret("password", how, secretFile),
                                secret("api_key", how, secretFile),
                                how.equals("inline") ? "sha256: " + HASH_PLANTED : secret("sha256", how, secretFile)));
            default -> {}
        }
        y.append("""
        kafka:
          bootstrap_servers: 127.0.0.1:9
          properties:
            security.protocol: SASL_SSL
            ssl.keystore.type: PEM
            ssl.keystore.key: "%s"
            ssl.key.password: %s
            ssl.truststore.password: %s
            sasl.jaas.config: "org.apache.kafka.common.security.plain.PlainLoginModule required password=\\"%s\\";"
        """.formatted(PEM, PLANTED, PLANTED, PLANTED));
        return y.toString();
    }

    static String secret(String key, String how, Path file) {
        return switch (how) {
            case "file" -> key + "_file: " + file;
            case "env" -> key + "_env: PLANTED_SECRET";
            default -> key + ": " + (key.equals("hash_key") || key.equals("sha256") ? HASH_PLANTED : PLANTED);
        };
    }

    @Test
    void noServicePrintsAPlantedSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, HASH_PLANTED + "\n");
        Environment env = Environment.of(Map.of("PLANTED_SECRET", HASH_PLANTED));
        for (ConfigReference.Service s : ConfigReference.SERVICES) {
            for (String how : new String[] {"inline", "file", "env"}) {
                String yaml = config(s.def(), how, file);
                Settings settings = s.def().parse(yaml, s.def().service() + ".yaml", env);
                // every secret key of the table got its planted value (list items included)
                for (Key<?> k : s.def().keys()) {
                    if (k.type() == Type.SECRET) {
                        String leaf = k.name().substring(k.name().lastIndexOf('.') + 1);
                        assertTrue(
                                settings.describe().entrySet().stream()
                                        .anyMatch(e -> e.getKey().endsWith("." + leaf)
                                                && e.getValue().equals("[hidden]")),
                                s.def().service() + " " + k.name() + " planted (" + how + "): " + settings.describe());
                    }
                }
                String shown = settings.describe() + "\n" + settings + "\n" + settings.warnings();
                assertClean(shown, s.def().service() + " (" + how + ")");
                assertTrue(shown.contains("[hidden]"), shown);
                // the same values in a config with a mistake: the error names the keys, never the values
                try {
                    s.def()
                            .parse(
                                    yaml.replace(
                                                    "security.protocol: SASL_SSL",
                                                    "security.protocol: SASL_SSL\n  nope: 1")
                                            .replace(
                                                    "ssl.key.password: " + PLANTED,
                                                    "ssl.key.password: [" + PLANTED + "]"),
                                    "bad.yaml",
                                    env);
                    throw new AssertionError("the mistake was not reported");
                } catch (ConfigException e) {
                    assertClean(e.getMessage(), s.def().service() + " error (" + how + ")");
                }
            }
        }
    }

    @Test
    void theCheckOutputOfEveryServiceHidesThem(@TempDir Path dir) throws Exception {
        for (String service : new String[] {"collector", "correlator", "redactor", "query-api"}) {
            Path cfg = dir.resolve(service + ".yaml");
            Files.writeString(cfg, config(ConfigReference.service(service).def(), "inline", null));
            String out = capture(service, cfg);
            assertTrue(out.contains("is valid"), out);
            assertTrue(out.contains("kafka.properties.ssl.keystore.key = [hidden]"), out);
            assertClean(out, service + " --check");
        }
    }

    /** What the process prints (both streams) when the image's entry point runs {@code service --check}. */
    static String capture(String service, Path cfg) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        int rc;
        System.setOut(p);
        System.setErr(p);
        try {
            rc = ServiceMain.commandLine(p, p).execute(service, "--config", cfg.toString(), "--check");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(0, rc, buf.toString(StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    static void assertClean(String text, String where) {
        assertFalse(text.contains(PLANTED), where + " shows a planted secret:\n" + text);
        assertFalse(text.contains("7f1c7f1c"), where + " shows a planted hash key:\n" + text);
        assertFalse(text.contains("MIIEv"), where + " shows a private key:\n" + text);
    }
}
