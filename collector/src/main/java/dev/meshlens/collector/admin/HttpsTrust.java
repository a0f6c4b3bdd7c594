package dev.meshlens.collector.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which CA an HTTPS poll trusts: the certificates of one PEM file (a private CA, such as Consul's on port 8501), or
 * the JVM's default trust store. Only the poll's own HTTP client uses it; nothing JVM-wide changes. {@code key} is the
 * configuration key that names the file, so a TLS failure says what to change.
 *
 * @param caFile PEM file, or null for the JVM's default trust store
 * @param key the configuration key of {@code caFile}, e.g. {@code sources.trust_bundles[0].ca_file}
 */
public record HttpsTrust(Path caFile, String key) {
    /**
     * The SSL context trusting {@code caFile}, or null (the default).
     *
     * @throws IllegalArgumentException naming the key when the file cannot be read or holds no certificate
     */
    public SSLContext sslContext() {
        if (caFile == null) {
            return null;
        }
        try {
            List<X509Certificate> cas = Pem.parse(Files.readString(caFile));
            if (cas.isEmpty()) {
                throw new IllegalArgumentException(key + " " + caFile + " holds no PEM certificate. Fix: point " + key
                        + " at the PEM file of the CA that signed the server's certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(key)) {
                throw iae;
            }
            throw new IllegalArgumentException(
                    "cannot read " + key + " " + caFile + ": " + e.getMessage() + ". Fix: point " + key
                            + " at a readable PEM file of the CA that signed the server's certificate",
                    e);
        }
    }

    /** An error naming {@link #key} when {@code e} (or a cause) is a TLS failure, else null. */
    IOException explain(IOException e, String url) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                String fix = caFile == null
                        ? "the JVM's default trust store does not trust its certificate. Fix: set " + key
                                + " to the PEM file of the CA that signed it"
                        : "its certificate is not signed by the CA in " + key + " (" + caFile + "). Fix: set " + key
                                + " to the CA that signed it";
                return new IOException("TLS with " + url + " failed (" + t.getMessage() + "): " + fix, e);
            }
        }
        return null;
    }
}
