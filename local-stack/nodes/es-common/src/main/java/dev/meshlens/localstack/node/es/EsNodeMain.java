package dev.meshlens.localstack.node.es;

import dev.meshlens.localstack.node.NodeSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.KeyStoreWrapper;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginBundle;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.rest.RestController;

/**
 * Main class of the child JVM that runs one single-node Elasticsearch cluster on loopback.
 *
 * <p>Usage: {@code java -Des.path.home=HOME -cp HOME/lib/* dev.meshlens.localstack.node.es.EsNodeMain INSTANCE_DIR}.
 * HOME is the laid-out home (lib/, modules/transport-netty4/, plugins/); it is only read, so many
 * nodes can share it. INSTANCE_DIR gets config/, data/, logs/ and, once the node serves HTTP, the
 * file {@code http.port} (written atomically). A start failure is written to {@code failed}.
 *
 * <p>System properties: {@code meshlens.es.http.port} (default 0 = random),
 * {@code meshlens.es.cluster.name} (default meshlens-local), {@code meshlens.parent.pid},
 * {@code meshlens.es.security.dir}: run secured (9.x layout only) — X-Pack security on, HTTPS with
 * {@code http.crt}/{@code http.key} (PEM, key unencrypted PKCS#8) from that folder, and the {@code elastic}
 * user's bootstrap password from its file {@code elastic.password} (kept in the node's keystore, as
 * {@code elasticsearch-keystore add bootstrap.password} would). Without it the security modules are not loaded.
 * The process exits when its standard input closes or the parent pid dies.
 */
public final class EsNodeMain {
    private EsNodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EsNodeMain INSTANCE_DIR");
            System.exit(2);
        }
        Path instance = Path.of(args[0]).toAbsolutePath();
        NodeSupport.exitWithParent("elasticsearch node", 20);
        try {
            run(instance);
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            System.err.println(sw);
            NodeSupport.writeAtomically(instance.resolve("failed"), sw.toString());
            System.exit(1);
        }
    }

    private static void run(Path instance) throws Exception {
        String homeProp = System.getProperty("es.path.home");
        if (homeProp == null) {
            throw new IllegalStateException("system property es.path.home is required");
        }
        Path home = Path.of(homeProp).toAbsolutePath();
        Path config = Files.createDirectories(instance.resolve("config"));
        Path data = Files.createDirectories(instance.resolve("data"));
        Path logs = Files.createDirectories(instance.resolve("logs"));
        Files.writeString(config.resolve("log4j2.properties"), LOG4J2);
        Files.writeString(config.resolve("elasticsearch.yml"), "# settings are passed by EsNodeMain\n");

        String clusterName = System.getProperty("meshlens.es.cluster.name", "meshlens-local");
        String httpPort = System.getProperty("meshlens.es.http.port", "0");
        String securityDir = System.getProperty("meshlens.es.security.dir");
        Settings.Builder builder = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", data.toString())
                .put("path.logs", logs.toString())
                .put("cluster.name", clusterName)
                .put("node.name", "meshlens-local")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", "0")
                .put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (securityDir != null) {
            secure(builder, Path.of(securityDir), config);
        }
        Settings settings = builder.build();

        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "meshlens-local");
        LogConfigurator.configure(env, true);

        Set<PluginBundle> modules = new HashSet<>(ModulesCompat.loadModules(env.modulesDir()));
        if (securityDir == null) {
            modules.removeIf(b -> SECURITY_MODULES.contains(b.pluginDescriptor().getName()));
        } else if (modules.stream().noneMatch(b -> b.pluginDescriptor().getName().equals("x-pack-security"))) {
            throw new IllegalStateException("this node layout has no x-pack-security module (only the 9.x layout has)");
        }
        Node node = new Node(env, PluginsLoader.createPluginsLoader(modules, Set.of(), Map.of(), false));
        // The rest-root module (GET / and HEAD /) is not published; clients' ping()/info() need it.
        node.injector().getInstance(RestController.class).registerHandler(new RootHandler(node));
        // Elasticsearch's threads are daemons: like its own bootstrap, keep one non-daemon thread
        // alive; it never ends by itself, so the JVM only stops through System.exit (signal,
        // parent gone), after the node has been closed and, if need be, its folder deleted.
        CountDownLatch never = new CountDownLatch(1);
        Thread keepAlive = new Thread(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meshlens-es-keepalive");
        keepAlive.setDaemon(false);
        keepAlive.start();
        Runnable close = () -> {
            try {
                node.close();
                node.awaitClose(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("closing the node failed: " + e);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(close, "meshlens-es-close"));
        NodeSupport.onParentGone(close, instance);
        node.start();

        HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        int port = http.boundAddress().publishAddress().getPort();
        NodeSupport.writeAtomically(instance.resolve("http.port"), Integer.toString(port));
        System.out.println("meshlens: elasticsearch " + org.elasticsearch.Build.current().version()
                + " serving " + (securityDir == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    /** Modules laid out by nodes/es-9-security, loaded only when the node runs secured. */
    private static final Set<String> SECURITY_MODULES =
            Set.of("x-pack-core", "x-pack-security", "meshlens-security-analysis");

    /**
     * X-Pack security as a production cluster runs it on HTTP: TLS with the given certificate, basic auth and API
     * keys; the {@code elastic} user's password from the keystore's {@code bootstrap.password}. Transport TLS is not
     * needed on a single node bound to loopback (Elasticsearch's own bootstrap checks agree).
     */
    private static void secure(Settings.Builder builder, Path dir, Path config) throws Exception {
        for (String f : List.of("http.crt", "http.key")) {
            Files.copy(dir.resolve(f), config.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        KeyStoreWrapper keystore = KeyStoreWrapper.create();
        keystore.setString(
                "bootstrap.password",
                Files.readString(dir.resolve("elastic.password")).strip().toCharArray());
        keystore.save(config, new char[0]);
        KeyStoreWrapper loaded = KeyStoreWrapper.load(config);
        loaded.decrypt(new char[0]);
        builder.put("xpack.security.enabled", true)
                .put("xpack.security.http.ssl.enabled", true)
                .put("xpack.security.http.ssl.certificate", "http.crt")
                .put("xpack.security.http.ssl.key", "http.key")
                .put("xpack.security.authc.api_key.enabled", true)
                .put("xpack.security.transport.ssl.enabled", false)
                .setSecureSettings(loaded);
    }

    private static final String LOG4J2 = """
            status = error
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
            rootLogger.level = warn
            rootLogger.appenderRef.console.ref = console
            logger.node.name = org.elasticsearch.node.Node
            logger.node.level = info
            logger.stdout.name = stdout
            logger.stdout.level = info
            logger.nativeaccess.name = org.elasticsearch.nativeaccess
            logger.nativeaccess.level = error
            logger.vectorization.name = org.apache.lucene.internal.vectorization
            logger.vectorization.level = error
            logger.esvectorization.name = org.elasticsearch.simdvec
            logger.esvectorization.level = error
            """;
}
