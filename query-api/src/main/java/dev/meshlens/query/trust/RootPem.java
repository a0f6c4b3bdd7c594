package dev.meshlens.query.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/** A root given as PEM (what-if "rotate to this root"): its subject, fingerprint, key id and validity. */
public final class RootPem {
    private RootPem() {}

    /** The first certificate of the PEM text. */
    public static RootRef parse(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("root_pem holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        List<? extends Certificate> certs;
        try {
            certs = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("root_pem is not a readable X.509 certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("root_pem holds no certificate");
        }
        X509Certificate c = (X509Certificate) certs.get(0);
        return new RootRef(
                c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                sha256(c),
                subjectKeyId(c),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant());
    }

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }

    /** Extension 2.5.29.14 is an OCTET STRING wrapping the DER OCTET STRING of the key id. */
    static String subjectKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue("2.5.29.14");
        if (ext == null) {
            return null;
        }
        byte[] inner = octets(ext);
        byte[] id = inner == null ? null : octets(inner);
        return id == null ? null : HexFormat.of().formatHex(id);
    }

    private static byte[] octets(byte[] der) {
        if (der.length < 2 || der[0] != 0x04) {
            return null;
        }
        int len = der[1] & 0xff;
        int off = 2;
        if ((len & 0x80) != 0) {
            int n = len & 0x7f;
            if (n < 1 || n > 3 || der.length < 2 + n) {
                return null;
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[2 + i] & 0xff);
            }
            off = 2 + n;
        }
        if (off + len > der.length) {
            return null;
        }
        byte[] out = new byte[len];
        System.arraycopy(der, off, out, 0, len);
        return out;
    }
}
