package dev.meshlens.collector.fuzz;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kept fuzz inputs (src/test/resources/fuzz/TARGET/*): inputs that broke a stage once, or sit on an
 * edge worth replaying on every run. Add a file when a property finds a failure, then fix the stage.
 */
public final class FuzzCorpus {
    private FuzzCorpus() {}

    public static List<byte[]> bytes(String target) throws IOException, URISyntaxException {
        URL dir = FuzzCorpus.class.getResource("/fuzz/" + target);
        if (dir == null) {
            throw new IllegalStateException("no fuzz corpus fuzz/" + target + " on the test classpath");
        }
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
        }
        return out;
    }
}
