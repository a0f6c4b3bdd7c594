package dev.meshlens.events.fix;

import dev.meshlens.events.TrustBundle;
import java.util.List;

/** A mesh of a kind without a dialect: every fix is a described step, in the mesh's own terms left open. */
final class DescribedFixes implements FixDialect {
    @Override
    public String kind() {
        return "other";
    }

    private static Fix fix(MeshFacts acting, String why, String step) {
        return new Fix(acting.meshId(), acting.kind(), acting.team(), why, List.of(), List.of(step));
    }

    @Override
    public Fix trustRoots(Situation s, boolean verifierIsClient, List<TrustBundle.Root> roots) {
        MeshFacts v = verifierIsClient ? s.client() : s.server();
        MeshFacts p = verifierIsClient ? s.server() : s.client();
        return fix(
                v,
                "Mesh " + v.meshId() + " does not trust the root of mesh " + p.meshId() + ".",
                "Add the root" + Fixes.rootNames(roots) + " to the trust bundle the proxies of mesh " + v.meshId()
                        + " verify against.");
    }

    @Override
    public Fix expectServerIdentity(Situation s, String presentedId) {
        return fix(
                s.client(),
                "Mesh " + s.client().meshId() + " expects another server identity.",
                "Configure the expected SAN of " + s.serverService() + " as " + presentedId + ".");
    }

    @Override
    public Fix acceptClientIdentity(Situation s, String clientId) {
        return fix(
                s.server(),
                "Mesh " + s.server().meshId() + " does not accept " + clientId + ".",
                "Allow " + clientId + " in the inbound SAN matcher / authorisation of " + s.serverService() + ".");
    }

    @Override
    public Fix renewCertificate(Situation s, boolean serverSide) {
        MeshFacts o = serverSide ? s.server() : s.client();
        return fix(
                o,
                "A certificate in mesh " + o.meshId() + " is outside its validity" + Fixes.dates(s) + ".",
                "Renew the workload certificate of " + (serverSide ? s.serverService() : s.clientWorkload())
                        + "; if its dates are right, fix the verifier's clock (NTP).");
    }

    @Override
    public Fix originateMutualTls(Situation s) {
        return fix(
                s.client(),
                "The client sends no certificate.",
                "Make the client's proxy originate mutual TLS to " + s.serverService() + ".");
    }

    @Override
    public Fix permissive(Situation s) {
        return fix(
                s.server(),
                "Only if plaintext is intended.",
                "Accept plaintext on " + s.serverService() + " deliberately (permissive mode).");
    }

    @Override
    public Fix requireMutualTls(Situation s) {
        return fix(
                s.server(),
                "The server answers in plaintext.",
                "Terminate mutual TLS in front of " + s.serverService() + ".");
    }

    @Override
    public Fix tlsVersions(Situation s, boolean ofClient, String min, String max) {
        MeshFacts a = ofClient ? s.client() : s.server();
        return fix(
                a,
                "The meshes share no TLS version.",
                "Allow " + min + " to " + max + " on the proxies of mesh " + a.meshId() + ".");
    }

    @Override
    public Fix routeSni(Situation s) {
        return fix(
                s.server(),
                "The gateway has no route for the SNI.",
                "Add a TLS passthrough route for " + s.serverHost() + " to the gateway of mesh "
                        + s.server().meshId() + ".");
    }
}
