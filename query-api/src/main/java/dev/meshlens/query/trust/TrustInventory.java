package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The certificate and trust-bundle inventory of every mesh, with enough history to say since when
 * a cell holds. Immutable; {@link #at} gives the view at one instant.
 *
 * @param meshes inventory per mesh id
 */
public record TrustInventory(Map<String, MeshInventory> meshes) {
    public TrustInventory {
        meshes = Collections.unmodifiableMap(new TreeMap<>(meshes));
    }

    public static TrustInventory empty() {
        return new TrustInventory(Map.of());
    }

    /**
     * Every mesh as it was at {@code t}. A chain is in use at {@code t} when it was first seen by then
     * and seen within {@code staleAfter} of the mesh's newest sighting by then (a workload that moved
     * to a new certificate leaves the old chain behind; a collector that went silent keeps the last
     * known chains rather than none).
     */
    public Snapshot at(Instant t, Duration staleAfter) {
        Map<String, MeshView> views = new LinkedHashMap<>();
        for (MeshInventory m : meshes.values()) {
            views.put(m.meshId(), view(m, t, staleAfter));
        }
        return new Snapshot(t, views);
    }

    private static MeshView view(MeshInventory m, Instant t, Duration staleAfter) {
        Map<String, BundleVersion> newestPerSource = new LinkedHashMap<>();
        for (BundleVersion v : m.bundles()) {
            if (!v.observedAt().isAfter(t)) {
                BundleVersion cur = newestPerSource.get(v.source());
                if (cur == null || !v.observedAt().isBefore(cur.observedAt())) {
                    newestPerSource.put(v.source(), v);
                }
            }
        }
        List<TrustBundle.Root> roots = null;
        Instant bundleSeen = null;
        if (!newestPerSource.isEmpty()) {
            roots = new ArrayList<>();
            for (BundleVersion v : newestPerSource.values()) {
                for (TrustBundle.Root r : v.roots()) {
                    if (roots.stream().noneMatch(x -> RootRef.of(x).sameAs(RootRef.of(r)))) {
                        roots.add(r);
                    }
                }
                bundleSeen = bundleSeen == null || v.observedAt().isAfter(bundleSeen) ? v.observedAt() : bundleSeen;
            }
        }
        Instant certsSeen = null;
        for (Chain c : m.chains()) {
            if (!c.firstSeen().isAfter(t)) {
                Instant s = c.lastSeen().isAfter(t) ? t : c.lastSeen();
                certsSeen = certsSeen == null || s.isAfter(certsSeen) ? s : certsSeen;
            }
        }
        List<Chain> chains = new ArrayList<>();
        if (certsSeen != null) {
            Instant cutoff = certsSeen.minus(staleAfter);
            for (Chain c : m.chains()) {
                if (!c.firstSeen().isAfter(t) && !c.lastSeen().isBefore(cutoff)) {
                    chains.add(c);
                }
            }
        }
        return new MeshView(m.meshId(), roots, chains, bundleSeen, certsSeen);
    }

    /**
     * Instants before {@code now} at which the state of "verifier trusts presenter" can change: a new
     * bundle version, a chain appearing or going stale, a root or intermediate expiring. Newest first.
     */
    List<Instant> changePoints(String verifier, String presenter, Instant now, Duration staleAfter) {
        TreeSet<Instant> out = new TreeSet<>();
        MeshInventory v = meshes.get(verifier);
        MeshInventory p = meshes.get(presenter);
        if (v != null) {
            for (BundleVersion b : v.bundles()) {
                out.add(b.observedAt());
                for (TrustBundle.Root r : b.roots()) {
                    if (r.notAfter() != null) {
                        out.add(r.notAfter().plusMillis(1));
                    }
                    if (r.notBefore() != null) {
                        out.add(r.notBefore());
                    }
                }
            }
        }
        if (p != null) {
            // workloads renew their leaves all the time; only a chain of another shape (anchor, intermediates)
            // appearing or going away can change the verdict, so intervals of one shape are merged first
            Map<String, List<Chain>> byShape = new LinkedHashMap<>();
            for (Chain c : p.chains()) {
                byShape.computeIfAbsent(shape(c), k -> new ArrayList<>()).add(c);
                for (var i : c.intermediates()) {
                    if (i.notAfter() != null) {
                        out.add(i.notAfter().plusMillis(1));
                    }
                }
            }
            for (List<Chain> same : byShape.values()) {
                same.sort(Comparator.comparing(Chain::firstSeen));
                Instant start = null;
                Instant end = null;
                for (Chain c : same) {
                    Instant e = c.lastSeen().plus(staleAfter).plusMillis(1);
                    if (start == null || c.firstSeen().isAfter(end)) {
                        if (start != null) {
                            out.add(start);
                            out.add(end);
                        }
                        start = c.firstSeen();
                        end = e;
                    } else if (e.isAfter(end)) {
                        end = e;
                    }
                }
                if (start != null) {
                    out.add(start);
                    out.add(end);
                }
            }
        }
        List<Instant> list = new ArrayList<>(out.headSet(now, true).descendingSet());
        return list;
    }

    private static String shape(Chain c) {
        StringBuilder sb = new StringBuilder(c.anchorRef().identity());
        for (var i : c.intermediates()) {
            sb.append('|').append(RootRef.of(i).identity());
        }
        return sb.toString();
    }

    /**
     * The first instant both sides have data (the verifier a bundle, the presenter a chain), or null:
     * before it a cell can only be unknown, so a state reaching back to it may be older still.
     */
    Instant firstData(String verifier, String presenter) {
        Instant bundle = null;
        MeshInventory v = meshes.get(verifier);
        if (v != null) {
            for (BundleVersion b : v.bundles()) {
                bundle = min(bundle, b.observedAt());
            }
        }
        Instant chain = null;
        MeshInventory p = meshes.get(presenter);
        if (p != null) {
            for (Chain c : p.chains()) {
                chain = min(chain, c.firstSeen());
            }
        }
        if (bundle == null || chain == null) {
            return bundle == null ? chain : bundle;
        }
        return bundle.isAfter(chain) ? bundle : chain;
    }

    /** When a root first appeared in a mesh's bundle (null when never). */
    Instant firstHeld(String meshId, RootRef root) {
        MeshInventory m = meshes.get(meshId);
        if (m == null) {
            return null;
        }
        Instant first = null;
        for (BundleVersion b : m.bundles()) {
            for (TrustBundle.Root r : b.roots()) {
                if (RootRef.of(r).sameAs(root)) {
                    first = min(first, b.observedAt());
                }
            }
        }
        return first;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
