package dev.meshlens.events.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The validators the fix tests rely on do reject what the API server or Consul would. */
class ValidatorsRejectTest {
    private static Resource k8s(String yaml, String kind) {
        return new Resource(kind, "networking.istio.io/v1", "x", "default", Resource.YAML, yaml, "kubectl apply -f -");
    }

    @Test
    void istioSchemaRejectsUnknownFieldsWrongTypesAndEnums() {
        String good = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: ledger-san
        spec:
          host: ledger.service.consul
          trafficPolicy:
            tls:
              mode: ISTIO_MUTUAL
              subjectAltNames:
              - spiffe://x.consul/ns/default/dc/dc1/svc/ledger
        """;
        assertEquals(List.of(), ResourceChecks.problems(k8s(good, "DestinationRule")));
        List<String> typo =
                ResourceChecks.problems(k8s(good.replace("subjectAltNames", "subjectAltName"), "DestinationRule"));
        assertTrue(typo.stream().anyMatch(p -> p.contains("subjectAltName: unknown field")), typo.toString());
        List<String> mode = ResourceChecks.problems(k8s(good.replace("ISTIO_MUTUAL", "MTLS"), "DestinationRule"));
        assertTrue(mode.stream().anyMatch(p -> p.contains("is not one of")), mode.toString());
        List<String> type = ResourceChecks.problems(
                k8s(good.replace("host: ledger.service.consul", "host: [a]"), "DestinationRule"));
        assertTrue(type.stream().anyMatch(p -> p.contains("expected string")), type.toString());
        List<String> name =
                ResourceChecks.problems(k8s(good.replace("name: ledger-san", "name: Ledger_SAN"), "DestinationRule"));
        assertTrue(name.stream().anyMatch(p -> p.contains("DNS-1123")), name.toString());
        List<String> kind =
                ResourceChecks.problems(k8s(good.replace("kind: DestinationRule", "kind: DestRule"), "DestRule"));
        assertTrue(kind.stream().anyMatch(p -> p.contains("not an Istio CRD kind")), kind.toString());
    }

    @Test
    void istioSchemaRequiresWhatTheCrdRequires() {
        String noHost = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: x
        spec:
          trafficPolicy: {}
        """;
        List<String> p = ResourceChecks.problems(k8s(noHost, "DestinationRule"));
        assertTrue(p.stream().anyMatch(x -> x.contains("required field 'host'")), p.toString());
    }

    @Test
    void consulTableRejectsUndocumentedFieldsAndValues() {
        Resource bad = new Resource(
                "service-defaults",
                null,
                "ledger",
                null,
                Resource.JSON,
                "{\"Kind\":\"service-defaults\",\"Name\":\"ledger\",\"MutualTLSMode\":\"STRICT\",\"Sni\":\"x\"}",
                "consul config write -");
        List<String> p = ResourceChecks.problems(bad);
        assertTrue(p.stream().anyMatch(x -> x.contains("MutualTLSMode: STRICT is not enum")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("Sni: not a documented field")), p.toString());
        Resource meshWithName = new Resource(
                "mesh",
                null,
                "mesh",
                null,
                Resource.JSON,
                "{\"Kind\":\"mesh\",\"Name\":\"mesh\",\"TLS\":{\"Incoming\":{\"TLSMinVersion\":\"TLSv1_2\"}}}",
                "consul config write -");
        assertEquals(List.of("Name: not a documented field"), ResourceChecks.problems(meshWithName));
    }
}
