package dev.meshlens.events.mesh;

/**
 * How a mesh's Envoy names spell a service: its upstream cluster names, the SNI its clients send, and the
 * cluster that hands an accepted connection to the local application. Pure functions of strings; each answers
 * only for names in its own mesh's spelling and returns null (or false) for anything else, so the registry can
 * ask every profile in turn ({@link MeshProfiles#serviceOfName}).
 */
public interface ServiceNaming {
    /** Where a cluster name says a connection goes. */
    enum Leg {
        /** towards another service (the line is a client's) */
        OUTBOUND,
        /** to the Envoy's own application (the line is the server's) */
        LOCAL_APP
    }

    /**
     * The bare service a cluster, SNI or host name spells in this mesh's own grammar (lower case), or null when
     * the name is not in it. A plain DNS host is nobody's grammar: the registry's fallback reads its first label.
     */
    String serviceOf(String name);

    /** True when the name is in this mesh's own spelling (a service's, or one of its fixed cluster names). */
    default boolean recognises(String name) {
        return serviceOf(name) != null;
    }

    /** What a cluster name says about the direction, or null when it does not tell. */
    default Leg legOf(String cluster) {
        return null;
    }

    /**
     * True when a client's cluster names a service of the client's own mesh, so the server of a failed handshake
     * to it is a proxy of the same mesh; false when the name does not tell.
     */
    default boolean namesOwnMeshService(String cluster) {
        return false;
    }

    /**
     * True when only the exporting cluster's gateway routes this SNI, to its own service (e.g. Consul's peered
     * service SNI): a gateway line with it shows that mesh serves the service.
     */
    default boolean routedOnlyByExporter(String sni) {
        return false;
    }

    /**
     * The host name clients of this mesh call {@code service} by (in {@code namespace} where the mesh has
     * namespaces): what a generated fix writes where a host is needed. Plain meshes: the service name.
     */
    default String hostName(String service, String namespace) {
        return service;
    }

    /** The spelling of nothing: a mesh whose names are plain hosts. */
    ServiceNaming PLAIN = name -> null;
}
