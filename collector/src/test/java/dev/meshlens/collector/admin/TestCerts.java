package dev.meshlens.collector.admin;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
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

/** Real EC P-256 certificates (BouncyCastle, as the simulator's Pki makes them) and a real private key. */
final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(0x1000);
    static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");

    /** A CA: its certificate and key. */
    record Ca(X509Certificate cert, KeyPair keys) {}

    /** A workload: its certificate and key. */
    record Leaf(X509Certificate cert, KeyPair keys) {
        /** The private key as PKCS#8 PEM, what an Envoy that did not redact would show. */
        String keyPem() {
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        }
    }

    private TestCerts() {}

    static Ca root(String dn) {
        try {
            KeyPair kp = keys();
            X500Name name = new X500Name(dn);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name,
                    serial(),
                    Date.from(NOW.minus(Duration.ofDays(30))),
                    Date.from(NOW.plus(Duration.ofDays(3650))),
                    name,
                    kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            return new Ca(sign(b, kp), kp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Leaf leaf(Ca ca, String spiffeId) {
        try {
            KeyPair kp = keys();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
                    serial(),
                    Date.from(NOW.minus(Duration.ofHours(1))),
                    Date.from(NOW.plus(Duration.ofHours(24))),
                    new X500Name(""),
                    kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(
                    Extension.subjectAlternativeName,
                    true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(ca.cert()));
            return new Leaf(sign(b, ca.keys()), kp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /** {@code inline_bytes} of a DataSource: base64 of the bytes (proto3 JSON mapping of {@code bytes}). */
    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }
}
