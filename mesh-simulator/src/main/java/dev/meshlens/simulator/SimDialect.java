package dev.meshlens.simulator;

import dev.meshlens.events.MeshKind;
import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.IstioProfile;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.NamingTemplate;
import java.util.Map;
import java.util.TreeSet;

/**
 * How the simulator plays one mesh kind: the spellings its Envoys write (clusters, SNI, hosts, the app's
 * cluster), the ports of the simulated deployment, whether the proxy sends its root with its leaf and keeps its
 * certificates in SDS secrets, and which of the simulator's two log renderers writes its lines. Identities come
 * from the kind's profile. The simulator plays the kinds listed here; a profile without a dialect is refused by
 * name, never played as another kind.
 *
 * @param jsonLogs true: lines in the shared Istio/Consul JSON keys; false: Istio's TEXT format
 * @param serverPort the port a server of this mesh listens on for the mesh
 * @param appPort the port of the application behind the sidecar
 * @param sendsRootInChain Istio's SDS chain carries the root after the leaf; Consul presents the leaf only
 * @param certificatesInSecrets certificates in /config_dump's dynamic_active_secrets (SDS) or inline in listeners
 */
record SimDialect(
        MeshProfile profile,
        boolean jsonLogs,
        int serverPort,
        int appPort,
        boolean sendsRootInChain,
        boolean certificatesInSecrets,
        Spelling spelling) {

    /** The names one mesh's Envoys write for a call. */
    interface Spelling {
        /** The cluster a client of this mesh uses for {@code host} (a service of trust domain {@code td}). */
        String cluster(String service, int port, String host, String clientTrustDomain);

        /** The SNI a client of this mesh sends. */
        String sni(String cluster, int port, String host);

        /** The host a client's application calls: its own mesh's service name, or how it reaches another mesh. */
        String host(String service, String namespace, boolean sameMesh);

        /** Whether the authority carries the port. */
        boolean authorityHasPort();

        /** The cluster towards the Envoy's own application. */
        String localAppCluster(int appPort);
    }

    private static final Spelling ISTIO_SPELLING = new Spelling() {
        public String cluster(String service, int port, String host, String td) {
            return "outbound|" + port + "||" + host;
        }

        public String sni(String cluster, int port, String host) {
            return "outbound_." + port + "_._." + host;
        }

        public String host(String service, String namespace, boolean sameMesh) {
            // another mesh's service reaches an Istio client through a ServiceEntry host on the Consul DNS name
            return sameMesh ? service + "." + namespace + ".svc.cluster.local" : service + ".service.consul";
        }

        public boolean authorityHasPort() {
            return true;
        }

        public String localAppCluster(int appPort) {
            return "inbound|" + appPort + "||";
        }
    };

    private static final Spelling CONSUL_SPELLING = new Spelling() {
        public String cluster(String service, int port, String host, String td) {
            return service + ".default.dc1.internal." + td;
        }

        public String sni(String cluster, int port, String host) {
            return cluster;
        }

        public String host(String service, String namespace, boolean sameMesh) {
            return service + ".virtual.consul";
        }

        public boolean authorityHasPort() {
            return false;
        }

        public String localAppCluster(int appPort) {
            return ConsulProfile.LOCAL_APP;
        }
    };

    private static final Map<String, SimDialect> DIALECTS = Map.of(
            IstioProfile.NAME, new SimDialect(IstioProfile.PROFILE, false, 8080, 8080, true, true, ISTIO_SPELLING),
            ConsulProfile.NAME, new SimDialect(ConsulProfile.PROFILE, true, 8443, 9090, false, false, CONSUL_SPELLING));

    /**
     * The dialect of a kind.
     *
     * @throws IllegalArgumentException naming the kinds the simulator plays
     */
    static SimDialect of(MeshKind kind) {
        SimDialect d = DIALECTS.get(kind.wireName());
        if (d == null) {
            throw new IllegalArgumentException("the simulator does not play mesh kind " + kind + "; it plays "
                    + String.join(", ", new TreeSet<>(DIALECTS.keySet())));
        }
        return d;
    }

    /** The SPIFFE ID the kind's naming template gives a workload. */
    static String identity(MeshKind kind, String trustDomain, String namespace, String service) {
        NamingTemplate t = kind.profile().identity();
        return t == null ? "spiffe://" + trustDomain + "/" + service : t.format(trustDomain, namespace, service);
    }
}
