package dev.meshlens.collector.admin;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
      Collection<? extends java.security.cert.Certificate> certs =
          cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      for (var c : certs) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
    return out;
  }

  public static TrustBundle.Root root(X509Certificate c) {
    return new TrustBundle.Root(c.getSubjectX500Principal().getName(), sha256(c), subjectKeyId(c), authorityKeyId(c),
        c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
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
    return new CertificateInfo(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
        c.getSerialNumber().toString(16), sha256(c), uris, dns, c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(), subjectKeyId(c), authorityKeyId(c), c.getBasicConstraints() >= 0);
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
    byte[] ext = c.getExtensionValue("2.5.29.14");
    if (ext == null) {
      return null;
    }
    byte[] inner = unwrapOctets(ext);
    inner = inner != null && inner.length > 2 && inner[0] == 0x04 ? unwrapOctets(inner) : inner;
    return inner == null ? null : HexFormat.of().formatHex(inner);
  }

  /** Authority key identifier: OCTET STRING { SEQUENCE { [0] keyId, … } }. */
  static String authorityKeyId(X509Certificate c) {
    byte[] ext = c.getExtensionValue("2.5.29.35");
    if (ext == null) {
      return null;
    }
    byte[] seq = unwrapOctets(ext);
    if (seq == null || seq.length < 2 || seq[0] != 0x30) {
      return null;
    }
    int[] hdr = header(seq, 0);
    int i = hdr[0];
    if (i < seq.length && (seq[i] & 0xff) == 0x80) {
      int[] h = header(seq, i);
      int len = h[1];
      byte[] id = new byte[len];
      System.arraycopy(seq, h[0], id, 0, len);
      return HexFormat.of().formatHex(id);
    }
    return null;
  }

  private static byte[] unwrapOctets(byte[] der) {
    if (der.length < 2 || der[0] != 0x04) {
      return null;
    }
    int[] h = header(der, 0);
    byte[] out = new byte[h[1]];
    System.arraycopy(der, h[0], out, 0, Math.min(h[1], der.length - h[0]));
    return out;
  }

  /** Returns {contentStart, contentLength} of the TLV at {@code off}. */
  private static int[] header(byte[] d, int off) {
    int len = d[off + 1] & 0xff;
    int start = off + 2;
    if (len > 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (d[start + i] & 0xff);
      }
      start += n;
    }
    return new int[] {start, len};
  }
}
