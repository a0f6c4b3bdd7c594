package dev.meshlens.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Two simulated meshes running in real time for the local demo: every edge of the
 * {@link Federation} is called at a configurable rate, each Envoy appends its lines to
 * {@code <dir>/<mesh>/<envoy>/access.log} (and {@code listener.log} when listener logs are on),
 * each Envoy serves an admin endpoint ({@code /stats}, {@code /certs}) on a loopback port, and
 * {@code <dir>/endpoints.json} lists meshes, formats, files, admin URLs and trust bundle files.
 * Faults can be injected and fixed while it runs.
 */
public final class LiveSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final double ratePerEdge;
    private final Federation federation;
    private final Traffic traffic;
    private final Random random;
    private final List<EnvoyAdmin> admins = new ArrayList<>();
    private final Map<String, BufferedWriter> writers = new HashMap<>();
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mesh-simulator");
        t.setDaemon(true);
        return t;
    });
    private volatile long linesWritten;

    /**
     * @param dir output directory (created)
     * @param seed seed of identities, certificates and traffic
     * @param ratePerEdge requests per second on each edge
     * @param consulSkew the Consul mesh's clock offset
     * @param listenerLogs whether servers write listener logs for failed handshakes
     */
    public LiveSimulator(Path dir, long seed, double ratePerEdge, Duration consulSkew, boolean listenerLogs) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (!(ratePerEdge > 0)) {
            throw new IllegalArgumentException("ratePerEdge must be positive");
        }
        this.ratePerEdge = ratePerEdge;
        Instant now = Instant.now();
        this.federation = new Federation(seed, "istio-east", "consul-dc1", now);
        federation.consul().clockSkew(consulSkew);
        federation.istio().listenerLogs(listenerLogs);
        federation.consul().listenerLogs(listenerLogs);
        this.traffic = new Traffic(seed);
        this.random = new Random(seed);
    }

    public Federation federation() {
        return federation;
    }

    /** Starts admin endpoints, writes endpoints.json and trust bundles, and starts the traffic. */
    public synchronized LiveSimulator start() {
        try {
            for (Envoy e : federation.envoys()) {
                admins.add(new EnvoyAdmin(e, 0, Instant::now));
                Files.createDirectories(dir.resolve(e.mesh().id()).resolve(e.service()));
            }
            writeInventory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long periodMicros = (long) (1_000_000 / ratePerEdge);
        for (Federation.Edge edge : federation.edges()) {
            exec.scheduleAtFixedRate(
                    () -> tick(edge),
                    random.nextInt((int) Math.min(periodMicros, Integer.MAX_VALUE)),
                    periodMicros,
                    TimeUnit.MICROSECONDS);
        }
        exec.scheduleAtFixedRate(this::flush, 200, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Injects a fault on the edge {@code clientService -> serverService} (service names as in {@link Federation}). */
    public void inject(Fault fault, String clientService, String serverService) {
        Federation.Edge e = edge(clientService, serverService);
        exec.execute(() -> {
            fault.apply(e.client(), e.server(), e.gateway(), Instant.now());
            writeInventoryQuietly();
        });
    }

    public void fix(Fault fault, String clientService, String serverService) {
        Federation.Edge e = edge(clientService, serverService);
        exec.execute(() -> {
            fault.fix(e.client(), e.server(), e.gateway(), Instant.now());
            writeInventoryQuietly();
        });
    }

    /** Starts a root rotation of mesh {@code meshId}: a new root in its own bundle, signing nothing yet. */
    public void stageRootRotation(String meshId, long seed) {
        SimMesh m = mesh(meshId);
        exec.execute(() -> {
            m.stageNextRoot(seed, Instant.now());
            writeInventoryQuietly();
        });
    }

    /** Moves one workload of mesh {@code meshId} to the staged root. */
    public void moveToNextRoot(String meshId, String service) {
        SimMesh m = mesh(meshId);
        exec.execute(() -> m.moveToNextRoot(service, Instant.now()));
    }

    private SimMesh mesh(String meshId) {
        return federation.meshes().stream()
                .filter(m -> m.id().equals(meshId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mesh " + meshId));
    }

    public long linesWritten() {
        return linesWritten;
    }

    public List<EnvoyAdmin> admins() {
        return List.copyOf(admins);
    }

    public Path endpointsFile() {
        return dir.resolve("endpoints.json");
    }

    private Federation.Edge edge(String client, String server) {
        return federation.edges().stream()
                .filter(e -> e.client().service().equals(client)
                        && e.server().service().equals(server))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no edge " + client + " -> " + server + "; edges: " + federation.edges()));
    }

    private void tick(Federation.Edge edge) {
        try {
            Traffic.Call call = traffic.call(edge.client(), edge.server(), edge.gateway(), Instant.now(), edge.path());
            for (SimLine l : call.lines()) {
                BufferedWriter w = writers.computeIfAbsent(
                        l.meshId() + "/" + l.envoy() + "/" + l.file(), k -> open(dir.resolve(k)));
                w.write(l.text());
                w.write('\n');
                linesWritten++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BufferedWriter open(Path p) {
        try {
            Files.createDirectories(p.getParent());
            return Files.newBufferedWriter(
                    p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.flush();
            } catch (IOException e) {
                // keep simulating
            }
        }
    }

    private void writeInventoryQuietly() {
        try {
            writeInventory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeInventory() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode meshes = root.putArray("meshes");
        for (SimMesh m : federation.meshes()) {
            Path bundle = dir.resolve(m.id()).resolve("trust-bundle.pem");
            Files.createDirectories(bundle.getParent());
            StringBuilder pem = new StringBuilder();
            for (X509Certificate r : m.trustedRoots()) {
                pem.append(pem(r));
            }
            Files.writeString(bundle, pem);
            ObjectNode mn = meshes.addObject();
            mn.put("mesh_id", m.id())
                    .put("kind", m.kind().wireName())
                    .put("trust_domain", m.trustDomain())
                    .put("clock_skew_ms", m.clockSkew().toMillis())
                    .put("listener_logs", m.listenerLogs())
                    .put("trust_bundle_file", bundle.toString())
                    .put(
                            "access_log_format",
                            m.dialect().jsonLogs() ? EnvoyFormats.CONSUL_JSON : EnvoyFormats.ISTIO_TEXT)
                    .put(
                            "listener_log_format",
                            m.dialect().jsonLogs()
                                    ? EnvoyFormats.CONSUL_LISTENER_JSON
                                    : EnvoyFormats.ISTIO_LISTENER_TEXT);
            ArrayNode envoys = mn.putArray("envoys");
            for (EnvoyAdmin a : admins) {
                if (a.envoy().mesh() != m) {
                    continue;
                }
                Path d = dir.resolve(m.id()).resolve(a.envoy().service());
                envoys.addObject()
                        .put("name", a.envoy().service())
                        .put("identity", a.envoy().identity())
                        .put("gateway", a.envoy().gateway())
                        .put("admin_url", a.baseUrl())
                        .put("access_log", d.resolve("access.log").toString())
                        .put("listener_log", d.resolve("listener.log").toString());
            }
        }
        ArrayNode edges = root.putArray("edges");
        for (Federation.Edge e : federation.edges()) {
            edges.addObject()
                    .put("client", e.client().toString())
                    .put("server", e.server().toString())
                    .put("gateway", e.gateway() == null ? null : e.gateway().toString());
        }
        Path tmp = dir.resolve("endpoints.json.tmp");
        Files.writeString(tmp, root.toPrettyString());
        Files.move(tmp, endpointsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        for (BufferedWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (EnvoyAdmin a : admins) {
            a.close();
        }
    }
}
