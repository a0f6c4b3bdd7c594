package dev.meshlens.collector.admin;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** Reads PEM certificates into certificate metadata (never keys, never the PEM itself). */
public final class Pem {
    private Pem() {}

    public static List<X509Certificate> parse(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> certs =
                    cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            for (var c : certs) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
        return out;
    }

    /** What {@link #certificateBlocks} found: the certificates, and how many CERTIFICATE blocks did not parse. */
    public record Blocks(List<X509Certificate> certificates, int unreadable) {
        public Blocks {
            certificates = List.copyOf(certificates);
        }
    }

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    /**
     * Only the {@code CERTIFICATE} blocks of a PEM text, each decoded on its own: any other block (a
     * private key concatenated into a chain file, say) is never decoded, and a damaged block is counted,
     * not thrown, so one bad certificate does not hide the others. Exceptions never carry the text.
     */
    public static Blocks certificateBlocks(String text) {
        List<X509Certificate> out = new ArrayList<>();
        int bad = 0;
        if (text == null) {
            return new Blocks(out, 0);
        }
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 certificate factory", e);
        }
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            int end = begin < 0 ? -1 : text.indexOf(END, begin + BEGIN.length());
            if (end < 0) {
                break;
            }
            begin = text.lastIndexOf(BEGIN, end); // a truncated block before this one is skipped, not merged
            from = end + END.length();
            try {
                byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
                bad++;
            }
        }
        return new Blocks(out, bad);
    }

    public static TrustBundle.Root root(X509Certificate c) {
        return new TrustBundle.Root(
                c.getSubjectX500Principal().getName(),
                sha256(c),
                subjectKeyId(c),
                authorityKeyId(c),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                pem(c));
    }

    /** A certificate as PEM: public, so a root can travel with its metadata (fixes carry it). */
    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateException e) {
            return null;
        }
    }

    public static CertificateInfo info(X509Certificate c) {
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == 6) {
                        uris.add(String.valueOf(san.get(1)));
                    } else if (type == 2) {
                        dns.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateException ignored) {
            // no SANs
        }
        return new CertificateInfo(
                c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(16),
                sha256(c),
                uris,
                dns,
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                subjectKeyId(c),
                authorityKeyId(c),
                c.getBasicConstraints() >= 0);
    }

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (Exception e) {
            return null;
        }
    }

    /** Subject key identifier: extension 2.5.29.14 = OCTET STRING { OCTET STRING keyId }. */
    static String subjectKeyId(X509Certificate c) {
        return subjectKeyId(c.getExtensionValue("2.5.29.14"));
    }

    static String subjectKeyId(byte[] ext) {
        if (ext == null) {
            return null;
        }
        byte[] inner = unwrapOctets(ext);
        inner = inner != null && inner.length > 2 && inner[0] == 0x04 ? unwrapOctets(inner) : inner;
        return inner == null ? null : HexFormat.of().formatHex(inner);
    }

    /** Authority key identifier: OCTET STRING { SEQUENCE { [0] keyId, … } }. */
    static String authorityKeyId(X509Certificate c) {
        return authorityKeyId(c.getExtensionValue("2.5.29.35"));
    }

    static String authorityKeyId(byte[] ext) {
        if (ext == null) {
            return null;
        }
        byte[] seq = unwrapOctets(ext);
        if (seq == null || seq.length < 2 || seq[0] != 0x30) {
            return null;
        }
        int[] outer = header(seq, 0);
        if (outer == null) {
            return null;
        }
        int i = outer[0];
        if (i < seq.length && (seq[i] & 0xff) == 0x80) {
            int[] h = header(seq, i);
            return h == null ? null : HexFormat.of().formatHex(seq, h[0], h[0] + h[1]);
        }
        return null;
    }

    /** The content of a DER OCTET STRING, or null when {@code der} is not one or is truncated. */
    private static byte[] unwrapOctets(byte[] der) {
        if (der == null || der.length < 2 || der[0] != 0x04) {
            return null;
        }
        int[] h = header(der, 0);
        if (h == null) {
            return null;
        }
        byte[] out = new byte[h[1]];
        System.arraycopy(der, h[0], out, 0, h[1]);
        return out;
    }

    /**
     * Returns {contentStart, contentLength} of the DER TLV at {@code off}, or null when the header or the
     * content would reach past the end of {@code d} (extensions come from certificates we did not make; a
     * malformed one must not throw out of the poll), or uses the indefinite form DER forbids.
     */
    static int[] header(byte[] d, int off) {
        if (off < 0 || off + 2 > d.length) {
            return null;
        }
        int len = d[off + 1] & 0xff;
        int start = off + 2;
        if (len == 0x80) {
            return null;
        }
        if (len > 0x80) {
            int n = len & 0x7f;
            if (n > 3 || start + n > d.length) {
                return null; // more than 16 MiB of extension is not a key identifier
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (d[start + i] & 0xff);
            }
            start += n;
        }
        return len > d.length - start ? null : new int[] {start, len};
    }
}
