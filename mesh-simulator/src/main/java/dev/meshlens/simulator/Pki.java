package dev.meshlens.simulator;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;

/**
 * Real X.509 material for the simulated meshes: a self-signed root per mesh CA and SPIFFE leaf
 * certificates (URI SAN), EC P-256 with deterministic ECDSA (RFC 6979) so the output is a pure
 * function of the seed.
 */
public final class Pki {
    private static final Provider BC = new BouncyCastleProvider();
    private static final HexFormat HEX = HexFormat.of();

    private Pki() {}

    /** A certificate authority: the root certificate and its key. */
    public static final class Ca {
        private final String name;
        private final KeyPair keys;
        private final X509Certificate root;
        private final DeterministicRandom random;
        private long serial = 1;

        Ca(String name, KeyPair keys, X509Certificate root, DeterministicRandom random) {
            this.name = name;
            this.keys = keys;
            this.root = root;
            this.random = random;
        }

        public String name() {
            return name;
        }

        public X509Certificate root() {
            return root;
        }

        /** Issues a workload certificate with one URI SAN (the SPIFFE ID). */
        public X509Certificate issueLeaf(String spiffeId, Instant notBefore, Instant notAfter) {
            try {
                KeyPair kp = generate(random);
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                        X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                        BigInteger.valueOf(++serial << 8 | 0x5a),
                        Date.from(notBefore),
                        Date.from(notAfter),
                        new X500Name(""),
                        kp.getPublic());
                JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
                b.addExtension(
                        Extension.subjectAlternativeName,
                        true,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                }));
                b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
                b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(root));
                return sign(b, keys);
            } catch (Exception e) {
                throw new IllegalStateException("could not issue a certificate for " + spiffeId + ": " + e, e);
            }
        }
    }

    /** Creates a CA whose root is valid in [notBefore, notAfter]. */
    public static Ca newCa(long seed, String subjectDn, Instant notBefore, Instant notAfter) {
        try {
            DeterministicRandom random = new DeterministicRandom(seed, subjectDn);
            KeyPair kp = generate(random);
            X500Name name = new X500Name(subjectDn);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(seed & 0xffffffL | 1),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    name,
                    kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            return new Ca(subjectDn, kp, sign(b, kp), random);
        } catch (Exception e) {
            throw new IllegalStateException("could not create CA " + subjectDn + ": " + e, e);
        }
    }

    private static KeyPair generate(DeterministicRandom random) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        // Deterministic ECDSA (RFC 6979): the same seed gives byte-identical certificates.
        Signature sig = Signature.getInstance("SHA256withECDDSA", BC);
        sig.initSign(issuer.getPrivate());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ContentSigner signer = new ContentSigner() {
            @Override
            public org.bouncycastle.asn1.x509.AlgorithmIdentifier getAlgorithmIdentifier() {
                return new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return buf;
            }

            @Override
            public byte[] getSignature() {
                try {
                    sig.update(buf.toByteArray());
                    return sig.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    /** The first URI SAN of a certificate, or null. */
    public static String uriSan(X509Certificate c) {
        List<String> s = uriSans(c);
        return s.isEmpty() ? null : s.get(0);
    }

    public static List<String> uriSans(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(6).equals(san.get(0))) {
                        out.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no SANs
        }
        return out;
    }

    public static String fingerprint(X509Certificate c) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyId(X509Certificate c, boolean subject) {
        byte[] ext = c.getExtensionValue(
                subject ? Extension.subjectKeyIdentifier.getId() : Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            return subject ? null : keyId(c, true);
        }
        byte[] inner = ASN1OctetString.getInstance(ext).getOctets();
        if (subject) {
            return HEX.formatHex(SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier());
        }
        byte[] id = AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifierOctets();
        return id == null ? null : HEX.formatHex(id);
    }

    /** Metadata of a certificate as the events model carries it. */
    public static CertificateInfo info(X509Certificate c) {
        return new CertificateInfo(
                dn(c.getSubjectX500Principal()),
                dn(c.getIssuerX500Principal()),
                c.getSerialNumber().toString(16),
                fingerprint(c),
                uriSans(c),
                List.of(),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                keyId(c, true),
                keyId(c, false),
                c.getBasicConstraints() >= 0);
    }

    public static TrustBundle bundle(String meshId, String trustDomain, String source, List<X509Certificate> roots) {
        List<TrustBundle.Root> rs = new ArrayList<>();
        for (X509Certificate r : roots) {
            rs.add(new TrustBundle.Root(
                    dn(r.getSubjectX500Principal()),
                    fingerprint(r),
                    keyId(r, true),
                    keyId(r, false),
                    r.getNotBefore().toInstant(),
                    r.getNotAfter().toInstant(),
                    pem(r)));
        }
        return new TrustBundle(meshId, trustDomain, source, rs);
    }

    /** The certificate as PEM (public: a certificate, never a key). */
    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String dn(X500Principal p) {
        return p.getName(X500Principal.RFC2253);
    }
}
