package dev.meshlens.collector.admin;

import dev.meshlens.events.CertificateInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One Envoy's certificate inventory: its {@code /certs} answer completed with what {@code /config_dump}
 * showed of the same certificates. The list keeps the order the trust matrix and the correlator read
 * ({@code /certs}' order): trusted CAs first, then the presented chain leaf first. A {@code /certs} entry
 * the dump did not show (a file-based context, say) stays as {@code /certs} reported it rather than
 * being dropped: an unknown issuer is honest, a missing certificate is not.
 *
 * @param certificates trusted CAs, then presented certificates
 * @param trustedCas how many of the first {@code certificates} are the Envoy's trusted CAs
 * @param issuersKnown whether the presented certificates came with issuer data (from the dump)
 * @param withoutIssuer {@code /certs} entries the dump did not cover
 */
public record CertsInventory(
        List<CertificateInfo> certificates, int trustedCas, boolean issuersKnown, int withoutIssuer) {

    public CertsInventory {
        certificates = List.copyOf(certificates);
    }

    /**
     * @param fromCerts {@code /certs} entries: its {@code ca_cert} ones marked {@code ca}, then {@code cert_chain}
     * @param dump what {@code /config_dump} showed, or {@link TlsConfigDump.Found#NOTHING}
     */
    public static CertsInventory of(List<CertificateInfo> fromCerts, TlsConfigDump.Found dump) {
        Set<String> covered = new HashSet<>();
        dump.trustedCas().forEach(c -> covered.add(serial(c.serialNumber())));
        dump.chain().forEach(c -> covered.add(serial(c.serialNumber())));
        List<CertificateInfo> trusted = new ArrayList<>(dump.trustedCas());
        List<CertificateInfo> presented = new ArrayList<>(dump.chain());
        int poor = 0;
        for (CertificateInfo c : fromCerts) {
            if (covered.contains(serial(c.serialNumber()))) {
                continue;
            }
            (c.ca() ? trusted : presented).add(c);
            poor++;
        }
        List<CertificateInfo> all = new ArrayList<>(trusted);
        all.addAll(presented);
        return new CertsInventory(all, trusted.size(), !dump.chain().isEmpty(), poor);
    }

    /** Serials compare as numbers: Envoy prints BoringSSL's hex, Java prints BigInteger's. */
    static String serial(String hex) {
        if (hex == null) {
            return "";
        }
        String s = hex.replace(":", "").toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
