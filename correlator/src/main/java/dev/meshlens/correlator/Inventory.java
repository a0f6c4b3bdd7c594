package dev.meshlens.correlator;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.TrustBundle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The certificate and trust-bundle inventory of every mesh (a global store, so every partition
 * sees all of it): {@code bundle|<mesh>} holds a mesh's trust bundle event, {@code certs|<mesh>|<envoy>}
 * an Envoy's {@code /certs} event.
 */
final class Inventory {
    static final String STORE = "meshlens-correlation-inventory";

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(int hash, int length, MeshEvent event) {}

    Inventory(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The inventory key of an inventory event. */
    static String keyOf(MeshEvent e) {
        if (e.sourceKind() == SourceKind.TRUST_BUNDLE) {
            return "bundle|" + e.meshId();
        }
        String who = e.attributes().getOrDefault("workload", e.localUriSan() != null ? e.localUriSan() : e.cluster());
        String fp = "";
        for (CertificateInfo c : e.certificates()) {
            if (!c.ca() && c.sha256Fingerprint() != null) {
                fp = c.sha256Fingerprint();
                break;
            }
        }
        // one entry per workload certificate, so a finding about a past failure sees the certificate of that time
        return "certs|" + e.meshId() + "|" + who + "|" + fp;
    }

    /** Key under which the first time a certificate entry was seen is kept. */
    static String firstSeenKey(String key) {
        return "first|" + key;
    }

    private MeshEvent get(String key, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Cached c = cache.get(key);
        int h = Arrays.hashCode(bytes);
        if (c != null && c.hash == h && c.length == bytes.length) {
            return c.event;
        }
        MeshEvent e = EventCodec.get().decodeEvent(bytes);
        cache.put(key, new Cached(h, bytes.length, e));
        return e;
    }

    TrustBundle bundle(String meshId) {
        if (store == null || meshId == null) {
            return null;
        }
        String k = "bundle|" + meshId;
        MeshEvent e = get(k, store.get(k));
        return e == null ? null : e.trustBundle();
    }

    /** The workload certificate of an identity (a SPIFFE ID) or service name, optionally only in one mesh. */
    CertificateInfo leaf(String meshId, String identityOrService) {
        return leaf(meshId, identityOrService, Long.MAX_VALUE);
    }

    /**
     * The workload certificate in force at {@code atMs} (the newest one first seen at or before then; else the
     * oldest known) for an identity or service name.
     */
    CertificateInfo leaf(String meshId, String identityOrService, long atMs) {
        if (store == null || identityOrService == null) {
            return null;
        }
        CertificateInfo best = null;
        long bestFirst = 0;
        CertificateInfo oldest = null;
        long oldestFirst = Long.MAX_VALUE;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(
                meshId == null ? "certs|" : "certs|" + meshId + "|",
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                MeshEvent e = get(kv.key, kv.value);
                for (CertificateInfo c : e.certificates()) {
                    if (c.ca() || !matches(c, identityOrService)) {
                        continue;
                    }
                    long first = firstSeen(kv.key, e);
                    if (first <= atMs && (best == null || first > bestFirst)) {
                        best = c;
                        bestFirst = first;
                    }
                    if (first < oldestFirst) {
                        oldest = c;
                        oldestFirst = first;
                    }
                }
            }
        }
        return best != null ? best : oldest;
    }

    private static boolean matches(CertificateInfo c, String identityOrService) {
        for (String san : c.uriSans()) {
            if (san.equals(identityOrService)) {
                return true;
            }
            SpiffeId id = SpiffeId.tryParse(san);
            if (id != null && identityOrService.equalsIgnoreCase(id.workloadName())) {
                return true;
            }
        }
        return false;
    }

    private long firstSeen(String key, MeshEvent e) {
        byte[] b = store.get(firstSeenKey(key));
        return b == null ? e.observedTime().toEpochMilli() : Long.parseLong(new String(b, StandardCharsets.UTF_8));
    }

    /** The mesh that has a workload certificate for this service name, or null. */
    String meshOfService(String service) {
        if (store == null || service == null) {
            return null;
        }
        try (KeyValueIterator<String, byte[]> it =
                store.prefixScan("certs|", new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                MeshEvent e = get(kv.key, kv.value);
                for (CertificateInfo c : e.certificates()) {
                    for (String san : c.uriSans()) {
                        SpiffeId id = SpiffeId.tryParse(san);
                        if (!c.ca() && id != null && service.equalsIgnoreCase(id.workloadName())) {
                            return e.meshId();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** The mesh kind (wire name) of a mesh, from any of its inventory events. */
    String kindOf(String meshId) {
        if (store == null || meshId == null) {
            return null;
        }
        MeshEvent e = get("bundle|" + meshId, store.get("bundle|" + meshId));
        return e == null || e.meshKind() == null ? null : e.meshKind().wireName();
    }

    /** The root of {@code bundle} that issued {@code cert}, or null when none did. */
    static TrustBundle.Root issuerIn(TrustBundle bundle, CertificateInfo cert) {
        for (TrustBundle.Root r : bundle.roots()) {
            if ((cert.authorityKeyId() != null && cert.authorityKeyId().equalsIgnoreCase(r.subjectKeyId()))
                    || (cert.authorityKeyId() == null
                            && cert.issuer() != null
                            && cert.issuer().equals(r.subject()))) {
                return r;
            }
        }
        return null;
    }

    /** The root (in any mesh's bundle) that signed {@code cert}: the one the verifier lacks. */
    TrustBundle.Root findRoot(CertificateInfo cert, String meshHint) {
        TrustBundle own = bundle(meshHint);
        if (own != null) {
            TrustBundle.Root r = issuerIn(own, cert);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    static boolean outsideValidity(CertificateInfo c, Instant at) {
        return c.isExpiredAt(at);
    }
}
