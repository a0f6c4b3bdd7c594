package dev.meshlens.launcher.bench;

import dev.meshlens.launcher.demo.Demo;
import dev.meshlens.simulator.Envoy;
import dev.meshlens.simulator.Fault;
import dev.meshlens.simulator.Federation;
import dev.meshlens.simulator.SimLine;
import dev.meshlens.simulator.Traffic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failed handshakes written into the running demo's Envoy log files, one at a time, in the simulator's own spellings.
 *
 * <p>The lines come from a twin of the demo's federation (same seed: same meshes, trust domains, identities and
 * addresses) in which each bench pair's client expects its server's SPIFFE ID under its own mesh's naming template
 * ({@link Fault#CLIENT_EXPECTS_WRONG_SAN}): the client's access log says the SAN matcher rejected the server, the
 * server's listener log says it received an alert. The twin is needed because a fault applied to the demo's own Envoys
 * would change the demo's traffic too.
 *
 * <p>The pairs are consul-dc1 clients calling {@code frontend} (istio-east), a service no edge of the demo calls: the
 * correlator pairs halves per destination service, and every other service has failing demo traffic (consul-dc1
 * distrusts istio-east's root, so every handshake between the meshes fails one way or another), whose halves could
 * pair with the bench's. So every change to the bench pairs' findings comes from the lines written here.
 */
final class TwinFailures {
    /** A bench pair: a consul-dc1 client and the istio-east service it calls. */
    record Pair(String client, String server) {
        String key() {
            return client + "->" + server;
        }
    }

    static final List<Pair> PAIRS =
            List.of(new Pair("info", "frontend"), new Pair("billing", "frontend"), new Pair("ledger", "frontend"));

    /** One line as written: its mesh and the time in it (the mesh's clock, to the millisecond as Envoy writes it). */
    record Line(String meshId, long atMs) {}

    /** One failure: its lines and when the last of them was in its file. */
    record Written(int index, Pair pair, int ordinal, long writtenAtMs, List<Line> lines) {}

    private final Path meshesDir;
    private final Federation twin;
    private final Traffic traffic;
    private final Map<String, Integer> ordinals = new HashMap<>();

    /**
     * @param meshesDir the demo simulator's output folder ({@code <mesh>/<envoy>/<file>} under it)
     * @param seed the demo's seed
     * @param consulSkew the demo's Consul clock offset
     * @param demoEdges the demo's edges, to check no bench pair is one of them
     */
    TwinFailures(Path meshesDir, long seed, Duration consulSkew, List<Federation.Edge> demoEdges) {
        this.meshesDir = meshesDir;
        Instant now = Instant.now();
        this.twin = new Federation(seed, Demo.ISTIO_MESH, Demo.CONSUL_MESH, now);
        twin.consul().clockSkew(consulSkew);
        twin.istio().listenerLogs(true);
        twin.consul().listenerLogs(true);
        this.traffic = new Traffic(seed + 1);
        Set<String> demoServers =
                demoEdges.stream().map(e -> e.server().service()).collect(Collectors.toSet());
        for (Pair p : PAIRS) {
            if (demoServers.contains(p.server())) {
                throw new IllegalStateException("bench pair " + p.key() + ": the demo's own traffic calls "
                        + p.server() + ", so its halves could pair with the bench's; pick a server no demo edge"
                        + " calls (TwinFailures.PAIRS)");
            }
            Fault.CLIENT_EXPECTS_WRONG_SAN.apply(envoy(p.client()), envoy(p.server()), null, now);
        }
    }

    /** The SPIFFE ID of a bench Envoy, as the demo's collectors name it. */
    String identity(String service) {
        return envoy(service).identity();
    }

    /**
     * Creates the files the bench writes to (learned from one call per pair, which writes nothing), so the first
     * failure does not wait for a new file to be found.
     */
    void touchFiles() throws IOException {
        for (Pair p : PAIRS) {
            for (SimLine l : call(p).lines()) {
                Path f = file(l);
                Files.createDirectories(f.getParent());
                if (!Files.exists(f)) {
                    Files.createFile(f);
                }
            }
        }
    }

    /** Writes failure {@code index} (pairs in turn): the client's line, then the server's, each with one append. */
    Written write(int index) throws IOException {
        Pair p = PAIRS.get(index % PAIRS.size());
        Traffic.Call call = call(p);
        if (call.result().success() || call.lines().size() != 2) {
            throw new IllegalStateException("the twin's call " + p.key() + " should fail with a line on each side: "
                    + call.result().why() + ", " + call.lines().size() + " line(s)");
        }
        List<Line> lines = new ArrayList<>(2);
        for (SimLine l : call.lines()) {
            append(file(l), l.text());
            lines.add(new Line(l.meshId(), l.at().toEpochMilli()));
        }
        long written = System.currentTimeMillis();
        int ordinal = ordinals.merge(p.key(), 1, Integer::sum);
        return new Written(index, p, ordinal, written, List.copyOf(lines));
    }

    private Traffic.Call call(Pair p) {
        return traffic.call(envoy(p.client()), envoy(p.server()), null, Instant.now(), "/bench");
    }

    private Path file(SimLine l) {
        return meshesDir.resolve(l.meshId()).resolve(l.envoy()).resolve(l.file());
    }

    /**
     * One write of the whole line with O_APPEND: the demo's simulator appends to the same files, also whole lines
     * per write, so neither splits the other's lines.
     */
    private static void append(Path file, String line) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    private Envoy envoy(String service) {
        return twin.envoys().stream()
                .filter(e -> e.service().equals(service))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the demo's federation has no Envoy " + service));
    }
}
