package dev.meshlens.testkit;

import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority made in the test (EC P-256, valid for two days) and the server certificates it
 * issues, as PEM files and SSL contexts: what a cluster's own CA (Elasticsearch's http_ca, Consul's agent CA) is to
 * a client that must be told to trust it.
 */
public final class TestCa {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final KeyPair keys;

    private TestCa(X509Certificate certificate, KeyPair keys) {
        this.certificate = certificate;
        this.keys = keys;
    }

    /** A new root CA named {@code CN=<name>}. */
    public static TestCa create(String name) {
        try {
            KeyPair k = keyPair();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = builder(subject, subject, k);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(k.getPublic()));
            return new TestCa(sign(b, k.getPrivate()), k);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    /**
     * A local Elasticsearch node running secured (X-Pack security, TLS on HTTP) with an HTTP certificate this CA
     * issued for 127.0.0.1: its chain and key are written into {@code dir}; {@code caFile} is this CA's PEM as the
     * node's trust, {@code elasticPassword} the built-in superuser's.
     */
    public LocalElasticsearch startSecuredElasticsearch(Path dir, Path caFile, String elasticPassword)
            throws IOException {
        Issued http = issue("127.0.0.1", "localhost");
        // the chain (certificate + CA), as an auto-configured cluster sends it: a fingerprint pins the CA
        return LocalElasticsearch.builder()
                .security(new LocalElasticsearch.Security(
                        http.writeChain(dir.resolve("http.crt")),
                        http.writeKey(dir.resolve("http.key")),
                        caFile,
                        elasticPassword))
                .start();
    }

    /**
     * A server certificate for {@code names} (each an IP address or a DNS name; the first is also the CN), signed by
     * this CA, with the serverAuth extended key usage.
     */
    public Issued issue(String... names) {
        try {
            KeyPair k = keyPair();
            X509v3CertificateBuilder b = builder(
                    new X500Name("CN=" + names[0]),
                    new X500Name(certificate.getSubjectX500Principal().getName()),
                    k);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.matches("[0-9.]+") || n.contains(":");
                sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            return new Issued(sign(b, keys.getPrivate()), k.getPrivate(), this);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String pem() {
        return pem(certificate);
    }

    /** Hex SHA-256 of the DER certificate, lower case, no colons (as Elasticsearch prints its CA's). */
    public String sha256Fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as PEM to {@code file}. */
    public Path writePem(Path file) {
        return write(file, pem());
    }

    /** A certificate this CA issued and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key, TestCa ca) {
        /** The certificate followed by its CA's (what a server sends so a client can pin the CA's fingerprint). */
        public String chainPem() {
            return pem(certificate) + ca.pem();
        }

        /** The private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String keyPem() {
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        }

        public Path writeChain(Path file) {
            return write(file, chainPem());
        }

        public Path writeKey(Path file) {
            return write(file, keyPem());
        }

        /** A server-side SSL context presenting this certificate and its CA. */
        public SSLContext serverContext() {
            try {
                char[] pw = "test".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", key, pw, new Certificate[] {certificate, ca.certificate()});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair k) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))),
                subject,
                k.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
