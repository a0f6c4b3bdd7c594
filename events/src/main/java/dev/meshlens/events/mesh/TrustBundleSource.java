package dev.meshlens.events.mesh;

/**
 * Where a mesh keeps the roots its proxies verify against, and how the collector reads them.
 *
 * @param kind {@code pem} (a file or folder of PEM roots the operator mounts) or {@code http-json} (an API
 *     the collector asks)
 * @param httpPath for {@code http-json}: the path under the mesh's API address, e.g. {@code /v1/connect/ca/roots}
 * @param tokenHeader for {@code http-json}: the header carrying the API token, or null
 * @param rootsField for {@code http-json}: the array of roots in the answer
 * @param rootPemField for {@code http-json}: the PEM field of each root
 * @param trustDomainField for {@code http-json}: the trust domain field of the answer, or null
 * @param description where the bundle lives, in the mesh's own words (docs, remediation)
 */
public record TrustBundleSource(
        String kind,
        String httpPath,
        String tokenHeader,
        String rootsField,
        String rootPemField,
        String trustDomainField,
        String description) {
    public static final String PEM = "pem";
    public static final String HTTP_JSON = "http-json";

    /** Roots in a PEM file or folder (mounted from wherever the mesh keeps them). */
    public static TrustBundleSource pem(String description) {
        return new TrustBundleSource(PEM, null, null, null, null, null, description);
    }

    public boolean isHttp() {
        return HTTP_JSON.equals(kind);
    }
}
