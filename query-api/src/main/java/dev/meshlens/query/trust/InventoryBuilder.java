package dev.meshlens.query.trust;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link TrustInventory} from the events the collectors publish: {@code trust-bundle}
 * events become bundle versions, {@code envoy-certs} events become chains whose first and newest
 * sightings grow as the same leaf is seen again. Other events are ignored. Not thread-safe.
 */
public final class InventoryBuilder {
    private final Map<String, String> kinds = new LinkedHashMap<>();
    private final Map<String, String> trustDomains = new LinkedHashMap<>();
    private final Map<String, Map<String, BundleVersion>> bundles = new LinkedHashMap<>();
    private final Map<String, Map<String, Chain>> chains = new LinkedHashMap<>();

    public InventoryBuilder add(MeshEvent e) {
        if (e.meshKind() != null) {
            kinds.putIfAbsent(e.meshId(), e.meshKind().wireName());
        }
        if (e.sourceKind() == SourceKind.TRUST_BUNDLE && e.trustBundle() != null) {
            if (e.trustBundle().trustDomain() != null) {
                trustDomains.put(e.meshId(), e.trustBundle().trustDomain());
            }
            BundleVersion v = new BundleVersion(
                    e.trustBundle().source(), e.observedTime(), e.trustBundle().roots());
            bundles.computeIfAbsent(e.meshId(), k -> new LinkedHashMap<>())
                    .put(v.source() + '\u0000' + v.observedAt(), v);
        } else if (e.sourceKind() == SourceKind.ENVOY_CERTS) {
            Map<String, Chain> m = chains.computeIfAbsent(e.meshId(), k -> new LinkedHashMap<>());
            for (Chain c : Chains.of(e)) {
                m.merge(c.key(), c, InventoryBuilder::merge);
            }
        }
        return this;
    }

    public InventoryBuilder addAll(Iterable<MeshEvent> events) {
        events.forEach(this::add);
        return this;
    }

    /**
     * Widens the sightings of the chains whose leaf has this serial number (Elasticsearch knows the
     * first and newest sighting of every certificate without returning every event).
     */
    public InventoryBuilder seen(String meshId, String serialNumber, Instant first, Instant last) {
        Map<String, Chain> m = chains.get(meshId);
        if (m == null || serialNumber == null) {
            return this;
        }
        m.replaceAll((k, c) -> serialNumber.equalsIgnoreCase(c.leaf().serialNumber())
                ? c.seen(min(c.firstSeen(), first), max(c.lastSeen(), last))
                : c);
        return this;
    }

    private static Chain merge(Chain a, Chain b) {
        Chain newest = b.lastSeen().isAfter(a.lastSeen()) ? b : a;
        return newest.seen(min(a.firstSeen(), b.firstSeen()), max(a.lastSeen(), b.lastSeen()));
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || (a != null && a.isBefore(b)) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return b == null || (a != null && a.isAfter(b)) ? a : b;
    }

    public TrustInventory build() {
        Map<String, MeshInventory> out = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(kinds.keySet());
        bundles.keySet().stream().filter(k -> !ids.contains(k)).forEach(ids::add);
        chains.keySet().stream().filter(k -> !ids.contains(k)).forEach(ids::add);
        for (String id : ids) {
            List<BundleVersion> bs =
                    new ArrayList<>(bundles.getOrDefault(id, Map.of()).values());
            bs.sort(Comparator.comparing(BundleVersion::observedAt));
            List<Chain> cs = new ArrayList<>(chains.getOrDefault(id, Map.of()).values());
            out.put(id, new MeshInventory(id, kinds.get(id), trustDomains.get(id), bs, cs));
        }
        return new TrustInventory(out);
    }
}
