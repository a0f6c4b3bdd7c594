package dev.meshlens.events.fix;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Validates one generated resource as what it claims to be. */
final class ResourceChecks {
    private ResourceChecks() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Resource r) {
        Object doc = new Yaml().load(r.text()); // JSON is YAML too
        if (!(doc instanceof Map<?, ?> m)) {
            throw new AssertionError(r.kind() + " " + r.name() + " is not one mapping:\n" + r.text());
        }
        return (Map<String, Object>) m;
    }

    /** Problems of a resource; empty when it is valid. */
    static List<String> problems(Resource r) {
        List<String> out = new ArrayList<>();
        switch (r.format()) {
            case Resource.YAML -> {
                Map<String, Object> doc = parse(r);
                if (r.apiVersion() != null) {
                    if (!IstioCrds.get().defines(r.apiVersion(), r.kind())) {
                        out.add("not an Istio CRD kind: " + r.apiVersion() + " " + r.kind());
                    } else {
                        out.addAll(IstioCrds.get().validate(doc));
                    }
                    if (!r.kind().equals(doc.get("kind")) || !r.apiVersion().equals(doc.get("apiVersion"))) {
                        out.add("record kind/apiVersion differ from the document's");
                    }
                } else {
                    out.addAll(DocumentedFields.problems(r.kind(), doc));
                }
            }
            case Resource.JSON -> {
                Map<String, Object> doc = parse(r);
                if (!r.kind().equals(doc.get("Kind"))) {
                    out.add("Kind " + doc.get("Kind") + " differs from the record's " + r.kind());
                }
                out.addAll(DocumentedFields.problems(r.kind(), doc));
            }
            case Resource.PEM -> {
                if (r.text().contains("PRIVATE KEY")
                        || !r.text().equals(dev.meshlens.events.PublicPem.certificatesOnly(r.text()))) {
                    out.add("a PEM resource holds something else than certificates");
                }
                try {
                    var certs = CertificateFactory.getInstance("X.509")
                            .generateCertificates(
                                    new ByteArrayInputStream(r.text().getBytes(StandardCharsets.US_ASCII)));
                    if (certs.isEmpty()) {
                        out.add("no certificate in the PEM");
                    }
                } catch (Exception e) {
                    out.add("PEM does not parse: " + e.getMessage());
                }
            }
            case Resource.SHELL -> {
                if (!r.text().startsWith("kubectl ")) {
                    out.add("a command other than kubectl: " + r.text());
                }
            }
            default -> out.add("unknown format " + r.format());
        }
        return out;
    }
}
