package dev.meshlens.events.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The one list of mesh kinds. Built in: Istio, Consul, Kuma and plain Envoy ({@code other}); more arrive
 * through {@link Provider} (a {@code META-INF/services/dev.meshlens.events.mesh.MeshProfiles$Provider} entry on
 * the class path), so adding a kind touches its profile and its tests, nothing else. Every question about
 * names (which service a cluster or SNI spells, which template an identity follows, which preset a name means)
 * is asked of every profile in this order; the first that recognises the name answers.
 */
public final class MeshProfiles {
    /** Supplies a profile from outside this package (a plug-in kind, a test's kind). */
    public interface Provider {
        MeshProfile profile();
    }

    private static final List<MeshProfile> ALL;
    private static final Map<String, MeshProfile> BY_NAME;
    private static final Map<String, AccessLogPreset> PRESETS;

    static {
        List<MeshProfile> all =
                new ArrayList<>(List.of(IstioProfile.PROFILE, ConsulProfile.PROFILE, KumaProfile.PROFILE));
        for (Provider p : ServiceLoader.load(Provider.class, MeshProfiles.class.getClassLoader())) {
            all.add(p.profile());
        }
        // plain Envoy last: it recognises no names of its own
        all.add(EnvoyProfile.PROFILE);
        Map<String, MeshProfile> byName = new LinkedHashMap<>();
        Map<String, AccessLogPreset> presets = new LinkedHashMap<>();
        for (MeshProfile p : all) {
            if (byName.putIfAbsent(p.name(), p) != null) {
                throw new IllegalStateException("two mesh profiles are named " + p.name());
            }
            for (AccessLogPreset a : p.presets()) {
                for (String n : names(a)) {
                    if (presets.putIfAbsent(n, a) != null) {
                        throw new IllegalStateException("access-log preset name " + n + " of mesh kind " + p.name()
                                + " is taken by another profile");
                    }
                }
            }
        }
        ALL = List.copyOf(all);
        BY_NAME = Map.copyOf(byName);
        PRESETS = Collections.unmodifiableMap(presets);
    }

    private MeshProfiles() {}

    private static List<String> names(AccessLogPreset a) {
        List<String> n = new ArrayList<>();
        n.add(a.name());
        n.addAll(a.aliases());
        return n;
    }

    /** Every profile, in the order names are asked of them. */
    public static List<MeshProfile> all() {
        return ALL;
    }

    /** The wire names of every kind, e.g. {@code [istio, consul, kuma, other]}. */
    public static List<String> names() {
        return ALL.stream().map(MeshProfile::name).toList();
    }

    /** The profile of a wire name (trimmed, any case), or null. */
    public static MeshProfile find(String name) {
        return name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The profile of a wire name.
     *
     * @throws IllegalArgumentException naming the known kinds
     */
    public static MeshProfile byName(String name) {
        MeshProfile p = find(name);
        if (p == null) {
            throw new IllegalArgumentException(
                    "unknown mesh kind '" + name + "'; known kinds: " + String.join(", ", names()));
        }
        return p;
    }

    /** Every access-log preset of every profile, in registry order (aliases not repeated). */
    public static List<AccessLogPreset> presets() {
        return ALL.stream().flatMap(p -> p.presets().stream()).toList();
    }

    /** A preset by name or alias (trimmed, any case), or null. */
    public static AccessLogPreset preset(String name) {
        return name == null ? null : PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
    }

    /** The {@code %COMMAND%} names some mesh's control plane replaces before Envoy sees a format. */
    public static Set<String> controlPlaneCommands() {
        Set<String> s = new HashSet<>();
        ALL.forEach(p -> s.addAll(p.controlPlaneCommands()));
        return s;
    }

    /**
     * The bare service a cluster, SNI, authority or host name spells, lower case, or null when it names none
     * (an address, {@code -}, a cluster towards the local app). The first profile whose grammar the name follows
     * answers; a plain DNS name gives its first label.
     */
    public static String serviceOfName(String name) {
        String bare = Hosts.bare(name);
        if (bare == null) {
            return null;
        }
        for (MeshProfile p : ALL) {
            String s = p.naming().serviceOf(bare);
            if (s != null) {
                return s.isEmpty() ? null : s;
            }
        }
        return Hosts.firstLabel(bare);
    }

    /** The profile whose spelling a cluster, SNI or host name follows, or null (a plain host, an address). */
    public static MeshProfile profileOfName(String name) {
        String bare = Hosts.bare(name);
        if (bare == null) {
            return null;
        }
        for (MeshProfile p : ALL) {
            if (p.naming().recognises(bare)) {
                return p;
            }
        }
        return null;
    }

    /** What a cluster name says about the direction, or null. */
    public static ServiceNaming.Leg legOf(String cluster) {
        if (cluster == null) {
            return null;
        }
        for (MeshProfile p : ALL) {
            ServiceNaming.Leg l = p.naming().legOf(cluster);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** True when some profile says a client's cluster names a service of the client's own mesh. */
    public static boolean namesOwnMeshService(String cluster) {
        return cluster != null && ALL.stream().anyMatch(p -> p.naming().namesOwnMeshService(cluster));
    }

    /** True when some profile says only the exporting mesh's gateway routes this SNI. */
    public static boolean routedOnlyByExporter(String sni) {
        return sni != null && ALL.stream().anyMatch(p -> p.naming().routedOnlyByExporter(sni));
    }

    /** An identity's template and parts. */
    public record Match(MeshProfile profile, NamingTemplate template, Map<String, String> parts) {
        /** The workload (bare service) the identity names, or null. */
        public String workload() {
            return template.workload(parts);
        }
    }

    /** The first naming template the path segments of a SPIFFE ID follow, or null. */
    public static Match identity(List<String> segments) {
        for (MeshProfile p : ALL) {
            for (NamingTemplate t : p.identities()) {
                Map<String, String> parts = t.match(segments);
                if (parts != null) {
                    return new Match(p, t, parts);
                }
            }
        }
        return null;
    }
}
