package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import dev.meshlens.simulator.Pki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real X.509 material for trust tests: roots, intermediates and SPIFFE leaves (EC P-256, signed with
 * BouncyCastle), turned into events exactly as the collector publishes them (metadata through the
 * simulator's {@link Pki#info}; a {@code /certs} event lists the trusted CAs as CA and every
 * certificate of the presented chain as not-CA, like the collector's flattening of Envoy's answer).
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {}

    /** A CA certificate and its key. */
    public record Ca(X509Certificate cert, KeyPair keys) {
        public String sha256() {
            return Pki.fingerprint(cert);
        }

        public String pem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Ca root(String dn, Instant notBefore, Instant notAfter) {
        KeyPair kp = keys();
        return new Ca(build(new X500Name(dn), kp, new X500Name(dn), kp, null, notBefore, notAfter, true, null), kp);
    }

    public static Ca intermediate(Ca parent, String dn, Instant notBefore, Instant notAfter) {
        KeyPair kp = keys();
        return new Ca(
                build(
                        name(parent),
                        parent.keys(),
                        new X500Name(dn),
                        kp,
                        parent.cert(),
                        notBefore,
                        notAfter,
                        true,
                        null),
                kp);
    }

    public static X509Certificate leaf(Ca issuer, String spiffeId, Instant notBefore, Instant notAfter) {
        return build(
                name(issuer),
                issuer.keys(),
                new X500Name(""),
                keys(),
                issuer.cert(),
                notBefore,
                notAfter,
                false,
                spiffeId);
    }

    private static X500Name name(Ca ca) {
        return X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded());
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(
            X500Name issuer,
            KeyPair issuerKeys,
            X500Name subject,
            KeyPair subjectKeys,
            X509Certificate issuerCert,
            Instant nb,
            Instant na,
            boolean ca,
            String uriSan) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(nb),
                    Date.from(na),
                    subject,
                    subjectKeys.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    ca
                            ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                            : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(
                    Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuerCert));
            }
            if (uriSan != null) {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        true,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uriSan)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- events as the collector publishes them ----

    public static MeshEvent bundle(String mesh, MeshKind kind, String trustDomain, Instant t, Ca... roots) {
        List<X509Certificate> rs = new ArrayList<>();
        for (Ca r : roots) {
            rs.add(r.cert());
        }
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "bundle", t.toEpochMilli()))
                .observedTime(t)
                .meshId(mesh)
                .meshKind(kind)
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(Pki.bundle(mesh, trustDomain, "/etc/roots.pem", rs))
                .build();
    }

    /** {@code chain} is leaf first, then intermediates (as Envoy's cert_chain); {@code trusted} is ca_cert. */
    public static MeshEvent certs(String mesh, String envoy, Instant t, List<X509Certificate> chain, Ca... trusted) {
        List<CertificateInfo> certs = new ArrayList<>();
        for (Ca r : trusted) {
            certs.add(Pki.info(r.cert()));
        }
        for (X509Certificate c : chain) {
            certs.add(notCa(Pki.info(c)));
        }
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "certs:" + envoy, t.toEpochMilli()))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .cluster(envoy)
                .certificates(certs)
                .build();
    }

    /** What Envoy's own /certs JSON gives the collector: serial, SANs, validity; no issuer, no key ids. */
    public static MeshEvent bareCerts(String mesh, String envoy, Instant t, X509Certificate leaf) {
        CertificateInfo i = Pki.info(leaf);
        CertificateInfo bare = new CertificateInfo(
                null,
                null,
                i.serialNumber(),
                null,
                i.uriSans(),
                List.of(),
                i.notBefore(),
                i.notAfter(),
                null,
                null,
                false);
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "certs:" + envoy, t.toEpochMilli()))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .cluster(envoy)
                .certificates(List.of(bare))
                .build();
    }

    static CertificateInfo notCa(CertificateInfo c) {
        return new CertificateInfo(
                c.subject(),
                c.issuer(),
                c.serialNumber(),
                c.sha256Fingerprint(),
                c.uriSans(),
                c.dnsSans(),
                c.notBefore(),
                c.notAfter(),
                c.subjectKeyId(),
                c.authorityKeyId(),
                false);
    }
}
