package dev.meshlens.query.store;

import co.elastic.clients.transport.TransportUtils;
import dev.meshlens.query.config.QueryApiKeys;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Which certificate authority the query API trusts for Elasticsearch's HTTPS: a CA file (PEM), a CA fingerprint
 * (SHA-256, as Elasticsearch prints it at first start), or neither (the JVM's default trust store, for clusters whose
 * certificate a public CA signed). The Elasticsearch client's own {@link TransportUtils} builds the SSL context, so
 * no JVM-wide trust store is needed. At most one of the two is set (the configuration checks that).
 *
 * @param caFile path of a PEM file, or null
 * @param caFingerprint hex SHA-256 of the CA certificate (colons allowed), or null
 */
public record ElasticTrust(String caFile, String caFingerprint) {
    /** The JVM's default trust store. */
    public static final ElasticTrust JVM_DEFAULT = new ElasticTrust(null, null);

    /** The SSL context for the client, or null to keep the client's default. */
    public SSLContext sslContext() {
        if (caFile != null) {
            try {
                return TransportUtils.sslContextFromHttpCaCrt(new File(caFile));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot read " + QueryApiKeys.ES_CA_FILE.name() + " " + caFile + ": " + e.getMessage()
                                + ". Fix: point it at the PEM file of the CA that signed the cluster's HTTP certificate"
                                + " (config/certs/http_ca.crt on a self-managed cluster, ca.crt of the ECK secret"
                                + " <cluster>-es-http-certs-public)",
                        e);
            }
        }
        if (caFingerprint != null) {
            return TransportUtils.sslContextFromCaFingerprint(normalise(caFingerprint));
        }
        return null;
    }

    /** Lower-case hex without colons: {@code AB:CD:…} (openssl) and {@code abcd…} (Elasticsearch) alike. */
    static String normalise(String fingerprint) {
        return fingerprint.strip().replace(":", "").toLowerCase(Locale.ROOT);
    }

    /**
     * An error that says which key to change when {@code e} (or a cause) is a TLS failure, else null: the
     * client's own message ("PKIX path building failed", "Untrusted certificate") names no setting.
     */
    IOException explain(Throwable e, String urls) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new IOException(
                        "TLS with Elasticsearch at " + urls + " failed: " + t.getMessage() + ". " + fix(), e);
            }
            if (t instanceof UncheckedIOException && t.getCause() instanceof SSLException s) {
                return new IOException(
                        "TLS with Elasticsearch at " + urls + " failed: " + s.getMessage() + ". " + fix(), e);
            }
        }
        return null;
    }

    private String fix() {
        if (caFile != null) {
            return "The certificate is not signed by the CA in " + QueryApiKeys.ES_CA_FILE.name() + " (" + caFile
                    + "). Fix: set " + QueryApiKeys.ES_CA_FILE.name()
                    + " to the CA that signed the cluster's HTTP certificate";
        }
        if (caFingerprint != null) {
            return "No certificate the server sent has the SHA-256 fingerprint in "
                    + QueryApiKeys.ES_CA_FINGERPRINT.name() + ". Fix: set " + QueryApiKeys.ES_CA_FINGERPRINT.name()
                    + " to the fingerprint of the cluster's HTTP CA (the server must send that CA in its chain, as"
                    + " an auto-configured cluster does), or use " + QueryApiKeys.ES_CA_FILE.name();
        }
        return "The JVM's default trust store does not trust the cluster's certificate. Fix: set "
                + QueryApiKeys.ES_CA_FILE.name() + " (PEM) or " + QueryApiKeys.ES_CA_FINGERPRINT.name();
    }
}
