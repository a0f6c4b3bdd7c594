package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A hypothetical change to the current inventory ("what if …"), applied to a snapshot. */
public sealed interface Change {

    /** The change in words. */
    String describe();

    Snapshot apply(Snapshot s);

    /** The meshes the change names (they take part in the matrix even without inventory). */
    List<String> meshes();

    /** Mesh {@code mesh} re-issues every workload certificate from {@code root} and trusts it itself. */
    record Rotate(String mesh, RootRef root) implements Change {
        public Rotate {
            Objects.requireNonNull(mesh, "mesh");
            Objects.requireNonNull(root, "root");
        }

        @Override
        public String describe() {
            return "mesh " + mesh + " rotates its signing root to " + root.label()
                    + " (every workload re-issued by it; the mesh's own bundle holds it)";
        }

        @Override
        public Snapshot apply(Snapshot s) {
            return s.with(mesh, v -> {
                List<TrustBundle.Root> roots = v.roots() == null ? new ArrayList<>() : new ArrayList<>(v.roots());
                if (roots.stream().noneMatch(r -> exact(r, root))) {
                    roots.add(root.asBundleRoot());
                }
                return v.withRoots(roots)
                        .withChains(
                                v.chains().stream().map(c -> c.reissuedBy(root)).toList());
            });
        }

        @Override
        public List<String> meshes() {
            return List.of(mesh);
        }
    }

    /** The root (or intermediate) expires now: in every bundle and every chain. */
    record Expire(RootRef root) implements Change {
        public Expire {
            Objects.requireNonNull(root, "root");
        }

        @Override
        public String describe() {
            return "CA certificate " + root.label() + " expires now"
                    + (root.notAfter() != null ? " (its real end of validity is " + root.notAfter() + ")" : "");
        }

        @Override
        public Snapshot apply(Snapshot s) {
            Instant gone = s.at().minusSeconds(1);
            Snapshot out = s;
            for (String m : s.meshes().keySet()) {
                out = out.with(
                        m,
                        v -> v.withRoots(
                                        v.roots() == null
                                                ? null
                                                : v.roots().stream()
                                                        .map(r -> exact(r, root)
                                                                ? new TrustBundle.Root(
                                                                        r.subject(),
                                                                        r.sha256Fingerprint(),
                                                                        r.subjectKeyId(),
                                                                        r.authorityKeyId(),
                                                                        r.notBefore(),
                                                                        gone)
                                                                : r)
                                                        .toList())
                                .withChains(v.chains().stream()
                                        .map(c -> expireIn(c, gone))
                                        .toList()));
            }
            return out;
        }

        private Chain expireIn(Chain c, Instant gone) {
            List<CertificateInfo> inter = c.intermediates().stream()
                    .map(i -> exact(i, root)
                            ? new CertificateInfo(
                                    i.subject(),
                                    i.issuer(),
                                    i.serialNumber(),
                                    i.sha256Fingerprint(),
                                    i.uriSans(),
                                    i.dnsSans(),
                                    i.notBefore(),
                                    gone,
                                    i.subjectKeyId(),
                                    i.authorityKeyId(),
                                    i.ca())
                            : i)
                    .toList();
            return new Chain(c.meshId(), c.workload(), c.leaf(), inter, c.presentedRoot(), c.firstSeen(), c.lastSeen());
        }

        @Override
        public List<String> meshes() {
            return List.of();
        }
    }

    /** Mesh {@code mesh} removes the root from its trust bundle. */
    record DropBundle(String mesh, RootRef root) implements Change {
        public DropBundle {
            Objects.requireNonNull(mesh, "mesh");
            Objects.requireNonNull(root, "root");
        }

        @Override
        public String describe() {
            return "mesh " + mesh + " drops root " + root.label() + " from its trust bundle";
        }

        @Override
        public Snapshot apply(Snapshot s) {
            return s.with(
                    mesh,
                    v -> v.withRoots(
                            v.roots() == null
                                    ? null
                                    : v.roots().stream()
                                            .filter(r -> !exact(r, root))
                                            .toList()));
        }

        @Override
        public List<String> meshes() {
            return List.of(mesh);
        }
    }

    /** Mesh {@code mesh} imports the root into its trust bundle. */
    record AddBundle(String mesh, RootRef root) implements Change {
        public AddBundle {
            Objects.requireNonNull(mesh, "mesh");
            Objects.requireNonNull(root, "root");
        }

        @Override
        public String describe() {
            return "mesh " + mesh + " imports root " + root.label() + " into its trust bundle";
        }

        @Override
        public Snapshot apply(Snapshot s) {
            return s.with(mesh, v -> {
                List<TrustBundle.Root> roots = v.roots() == null ? new ArrayList<>() : new ArrayList<>(v.roots());
                if (roots.stream().noneMatch(r -> exact(r, root))) {
                    roots.add(root.asBundleRoot());
                }
                return v.withRoots(roots);
            });
        }

        @Override
        public List<String> meshes() {
            return List.of(mesh);
        }
    }

    /** This very certificate: by fingerprint when known (a re-issued root with the same key is another one). */
    private static boolean exact(TrustBundle.Root r, RootRef x) {
        return x.sha256() != null ? DistinguishedNames.sameHex(x.sha256(), r.sha256Fingerprint()) : Anchors.holds(r, x);
    }

    private static boolean exact(CertificateInfo c, RootRef x) {
        return x.sha256() != null
                ? DistinguishedNames.sameHex(x.sha256(), c.sha256Fingerprint())
                : RootRef.of(c).sameAs(x);
    }
}
