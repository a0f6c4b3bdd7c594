package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.mesh.NamingTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Mesh {@code mesh} names its workloads by another SPIFFE naming template (and, when the template
     * spells one, another trust domain). No root changes, so no cell of the matrix moves: what breaks
     * are the SAN checks of clients that accepted the old identities ({@link SanChecks}).
     *
     * @param mesh the mesh whose naming changes
     * @param template the new template as given, e.g. {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}
     *     (the mesh keeps its trust domain) or {@code spiffe://east.example/ns/<namespace>/sa/<service-account>}
     *     (a new trust domain too)
     */
    record Naming(String mesh, String template) implements Change {
        private static final Pattern PART = Pattern.compile("<([^>]+)>");

        public Naming {
            Objects.requireNonNull(mesh, "mesh");
            Objects.requireNonNull(template, "template");
            compiled(template); // a template that does not compile is refused here, naming the problem
        }

        @Override
        public String describe() {
            return "mesh " + mesh + " names its workloads " + template;
        }

        /** Roots and chains stay as they are. */
        @Override
        public Snapshot apply(Snapshot s) {
            return s;
        }

        @Override
        public List<String> meshes() {
            return List.of(mesh);
        }

        /** The trust domain the template spells, or null when it keeps the mesh's ({@code <trust-domain>}). */
        String trustDomain() {
            String rest = template.substring("spiffe://".length());
            String td = rest.substring(0, Math.max(0, rest.indexOf('/')));
            return td.equals("<trust-domain>") ? null : td;
        }

        /**
         * The identity a workload with these parts gets under the new template.
         *
         * @throws IllegalArgumentException naming the part the old identity does not carry
         */
        String rename(SpiffeId old) {
            String td = trustDomain();
            return compiled(template).format(td == null ? old.trustDomain() : td, old.parts());
        }

        private static NamingTemplate compiled(String template) {
            if (!template.startsWith("spiffe://") || template.indexOf('/', "spiffe://".length()) < 0) {
                throw new IllegalArgumentException("naming template '" + template
                        + "' must look like spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>"
                        + " (or spell a trust domain instead of <trust-domain>)");
            }
            String rest = template.substring("spiffe://".length());
            String pattern = "spiffe://<trust-domain>" + rest.substring(rest.indexOf('/'));
            Matcher m = PART.matcher(pattern.substring("spiffe://<trust-domain>".length()));
            String workloadPart = null;
            while (m.find()) {
                workloadPart = m.group(1); // the last part names the workload in every template meshlens knows
            }
            if (workloadPart == null) {
                throw new IllegalArgumentException(
                        "naming template '" + template + "' has no <part>: every workload would get the same ID");
            }
            return NamingTemplate.of("what-if", pattern, workloadPart);
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
