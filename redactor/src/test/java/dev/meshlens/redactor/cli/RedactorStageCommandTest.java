package dev.meshlens.redactor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorStageCommandTest {
    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RedactorStageCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void configAndPolicyErrorsStopStartUp(@TempDir Path dir) throws Exception {
        assertEquals("2", run()[0]);
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "mesh: m\nkafka: {bootstrap_servers: 'localhost:1'}\ninput: {topic: raw}\npoll_ms: x\n");
        String[] r = run("--config", cfg.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("line 4: Invalid value 'x' for configuration poll_ms"), r[2]);

        Files.writeString(dir.resolve("p.yaml"), "id: p\nversion: '1'\nfields:\n  paht: keep\n");
        Files.writeString(
                cfg,
                "mesh: m\nkafka: {bootstrap_servers: 'localhost:1'}\ninput: {topic: raw}\n"
                        + "redaction: {policy: p.yaml}\n");
        r = run("--config", cfg.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("p.yaml line 4: unknown field 'paht'"), r[2]);

        Files.writeString(dir.resolve("p.yaml"), "id: p\nversion: '1'\nmesh: other\nfields:\n  path: keep\n");
        r = run("--config", cfg.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("written for mesh 'other'"), r[2]);
    }

    @Test
    void checkLoadsTheConfigAndPolicyAndStartsNothing(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(dir.resolve("p.yaml"), "id: p\nversion: '1'\nfields:\n  path: keep\n");
        // port 1 answers nothing: a started stage would fail instead of returning 0 at once
        Files.writeString(
                cfg,
                "mesh: m\nkafka: {bootstrap_servers: 'localhost:1'}\ninput: {topic: raw}\n"
                        + "redaction: {policy: p.yaml}\n");
        String[] r = run("--config", cfg.toString(), "--check");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("configuration " + cfg + " is valid (policy p)"), r[1]);
        assertTrue(r[1].contains("input.topic = raw"), r[1]);
        assertFalse(r[1].contains("metrics on"), r[1]);
    }
}
