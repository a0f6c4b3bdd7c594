package dev.meshlens.events;

import dev.meshlens.events.mesh.MeshProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SPIFFE ID, parsed into the parts the naming template of its mesh gives it. The templates are the mesh
 * profiles' ({@link MeshProfiles#identity}): Istio
 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}, Consul
 * {@code spiffe://<trust-domain>/[ap/<partition>/]ns/<namespace>/dc/<datacenter>/svc/<service>}, Kuma
 * {@code spiffe://<mesh>/<service>}, and whatever a profile added. Any other valid SPIFFE ID stays
 * {@link #GENERIC}.
 *
 * @param trustDomain the trust domain (lower case)
 * @param path the path, starting with '/', or empty for a trust-domain-only ID
 * @param template the name of the naming template the path follows ({@code istio}, {@code consul},
 *     {@code kuma}, …), or {@link #GENERIC}
 * @param parts the template's parts by name ({@code namespace}, {@code service-account}, {@code partition},
 *     {@code datacenter}, {@code service}, …); empty for generic IDs
 * @param workloadName the workload the ID names, reduced to the bare service (Istio's service account,
 *     Consul's service, Kuma's service without its Kubernetes suffix); null for generic IDs
 */
public record SpiffeId(
        String trustDomain, String path, String template, Map<String, String> parts, String workloadName) {

    /** The template of an ID that follows no profile's naming template. */
    public static final String GENERIC = "generic";

    static final String SCHEME = "spiffe://";
    static final int MAX_LENGTH = 2048;

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(template, "template");
        parts = parts == null ? Map.of() : Map.copyOf(parts);
    }

    /** The value of one part of the template, or null. */
    public String part(String name) {
        return parts.get(name);
    }

    /** The Kubernetes or Consul namespace, when the template has one. */
    public String namespace() {
        return parts.get("namespace");
    }

    /** The service account, when the template has one (Istio). */
    public String serviceAccount() {
        return parts.get("service-account");
    }

    /** The admin partition, when the ID has one (Consul; null in the default partition). */
    public String partition() {
        return parts.get("partition");
    }

    /** The datacenter, when the template has one (Consul). */
    public String datacenter() {
        return parts.get("datacenter");
    }

    /** The service as the ID spells it, when the template has a service part (Consul, Kuma). */
    public String service() {
        return parts.get("service");
    }

    /** Parses without throwing; null when the input is null, blank or not a valid SPIFFE ID. */
    public static SpiffeId tryParse(String uri) {
        if (uri == null || uri.isBlank() || "-".equals(uri)) {
            return null;
        }
        try {
            return parse(uri);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses a SPIFFE ID.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    public static SpiffeId parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("SPIFFE ID is missing");
        }
        if (uri.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("SPIFFE ID is longer than " + MAX_LENGTH + " characters");
        }
        if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("'" + uri + "' is not a SPIFFE ID: it must start with 'spiffe://'");
        }
        if (!uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("'" + uri + "': the scheme must be lower-case 'spiffe'");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String td = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (td.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' has an empty trust domain");
        }
        for (int i = 0; i < td.length(); i++) {
            char c = td.charAt(i);
            if (c == ':') {
                throw new IllegalArgumentException("'" + uri + "': the trust domain must not contain a port");
            }
            if (c == '@') {
                throw new IllegalArgumentException("'" + uri + "': the trust domain must not contain user info");
            }
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("'" + uri + "': trust domain character '" + c
                        + "' at position " + (SCHEME.length() + i)
                        + " is not allowed (only lower-case letters, digits, '.', '-' and '_')");
            }
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("'" + uri + "': a SPIFFE ID must not have a query or fragment");
        }
        List<String> segs = new ArrayList<>();
        if (!path.isEmpty()) {
            if (path.endsWith("/")) {
                throw new IllegalArgumentException("'" + uri + "': the path must not end with '/'");
            }
            int start = 1;
            while (start <= path.length()) {
                int end = path.indexOf('/', start);
                if (end < 0) {
                    end = path.length();
                }
                String seg = path.substring(start, end);
                if (seg.isEmpty()) {
                    throw new IllegalArgumentException("'" + uri + "': the path has an empty segment");
                }
                if (seg.equals(".") || seg.equals("..")) {
                    throw new IllegalArgumentException("'" + uri + "': the path must not contain '.' or '..' segments");
                }
                for (int i = 0; i < seg.length(); i++) {
                    char c = seg.charAt(i);
                    if (!((c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '-'
                            || c == '_')) {
                        throw new IllegalArgumentException("'" + uri + "': path character '" + c + "' in segment '"
                                + seg + "' is not allowed (only letters, digits, '.', '-' and '_')");
                    }
                }
                segs.add(seg);
                start = end + 1;
            }
        }
        return classify(td, path, segs);
    }

    private static SpiffeId classify(String td, String path, List<String> s) {
        MeshProfiles.Match m = s.isEmpty() ? null : MeshProfiles.identity(s);
        if (m == null) {
            return new SpiffeId(td, path, GENERIC, Map.of(), null);
        }
        return new SpiffeId(td, path, m.template().name(), m.parts(), m.workload());
    }

    /** The URI form, {@code spiffe://td/path}. */
    public String uri() {
        return SCHEME + trustDomain + path;
    }

    @Override
    public String toString() {
        return uri();
    }
}
