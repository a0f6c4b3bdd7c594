package dev.meshlens.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The federation of thesis §6: an Istio mesh ({@code backend}, {@code frontend}, {@code catalog})
 * and a Consul mesh ({@code info}, {@code billing}, {@code ledger}, behind an ingress gateway in TLS passthrough),
 * trust bundles exchanged, plus the edges (calls) between them and inside each mesh.
 */
public final class Federation {
    /** A call path: client, server and the gateway in between (may be null). */
    public record Edge(Envoy client, Envoy server, Envoy gateway, String path) {
        public boolean crossMesh() {
            return client.mesh() != server.mesh();
        }

        @Override
        public String toString() {
            return client + " -> " + server;
        }
    }

    private final SimMesh istio;
    private final SimMesh consul;
    private final List<Edge> edges = new ArrayList<>();

    public Federation(long seed, String istioId, String consulId, Instant now) {
        istio = SimMesh.istio(seed, istioId, "cluster.local", now);
        consul = SimMesh.consul(seed, consulId, now);
        istio.trust(consul);
        consul.trust(istio);
        int o = (int) (Math.floorMod(seed, 200));
        Envoy backend = istio.addEnvoy("backend", "default", "10.244." + o + ".11", false, now);
        Envoy frontend = istio.addEnvoy("frontend", "web", "10.244." + o + ".12", false, now);
        Envoy catalog = istio.addEnvoy("catalog", "default", "10.244." + o + ".13", false, now);
        Envoy info = consul.addEnvoy("info", "default", "10.20." + o + ".21", false, now);
        Envoy billing = consul.addEnvoy("billing", "default", "10.20." + o + ".22", false, now);
        Envoy ledger = consul.addEnvoy("ledger", "default", "10.20." + o + ".23", false, now);
        Envoy gateway = consul.addEnvoy("ingress-gateway", "default", "34.120." + o + ".5", true, now);
        edges.add(new Edge(backend, info, gateway, "/weather"));
        edges.add(new Edge(frontend, billing, gateway, "/invoices"));
        edges.add(new Edge(frontend, ledger, gateway, "/entries"));
        edges.add(new Edge(info, backend, null, "/api/v1/forecast"));
        edges.add(new Edge(billing, catalog, null, "/items"));
        edges.add(new Edge(backend, catalog, null, "/items"));
        edges.add(new Edge(info, billing, null, "/charge"));
    }

    public SimMesh istio() {
        return istio;
    }

    public SimMesh consul() {
        return consul;
    }

    public List<Edge> edges() {
        return List.copyOf(edges);
    }

    public List<Edge> crossMeshEdges() {
        return edges.stream().filter(Edge::crossMesh).toList();
    }

    /** True when the Envoy is a client on some edge (so its own logs matter for other edges too). */
    public boolean isClient(Envoy e) {
        return edges.stream().anyMatch(x -> x.client() == e);
    }

    public List<SimMesh> meshes() {
        return List.of(istio, consul);
    }

    public List<Envoy> envoys() {
        List<Envoy> all = new ArrayList<>(istio.envoys());
        all.addAll(consul.envoys());
        return all;
    }
}
