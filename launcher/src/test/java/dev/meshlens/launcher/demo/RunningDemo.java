package dev.meshlens.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * One demo per test JVM, shared by the demo and browser tests: started on first use with the
 * launcher's own classpath for its child JVMs, stopped by a shutdown hook (children also exit
 * with this JVM by themselves).
 */
final class RunningDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Demo demo;
    private static IOException failure;

    private RunningDemo() {}

    static synchronized Demo get() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (demo == null) {
            // Surefire runs tests from a manifest-only jar; give the children the real test classpath.
            String cp = System.getProperty("surefire.test.class.path");
            if (cp != null) {
                System.setProperty(Demo.CLASSPATH_PROPERTY, cp);
            }
            DemoOptions o = new DemoOptions(
                    Path.of("target", "demo-it"),
                    0,
                    DemoOptions.DEFAULT_SEED,
                    4.0,
                    null,
                    Duration.ofMinutes(4),
                    null); // DemoIT plays the second act itself, step by step
            try {
                demo = Demo.start(o, new PrintStream(System.out, true));
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-it-stop"));
        }
        return demo;
    }

    /** Waits until open findings cover the given categories; returns the findings seen last. */
    static JsonNode awaitFindings(Demo d, Set<String> categories, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode items = JSON.createArrayNode();
        while (System.nanoTime() < deadline) {
            try {
                items = JSON.readTree(d.get("/api/v1/findings?state=open&size=100", Demo.ONCALL_TOKEN))
                        .path("items");
                Set<String> seen = new HashSet<>();
                items.forEach(f -> seen.add(f.path("category").asText()));
                if (seen.containsAll(categories)) {
                    return items;
                }
            } catch (IOException e) {
                // index not there yet
            }
            Demo.sleep(2000);
        }
        return items;
    }
}
