package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.testkit.ElasticsearchService;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RequiresRealServices;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The on-call page end to end: a real query API (real Kafka and Elasticsearch from testkit) ingests
 * both meshes' evidence and a finding from Kafka; headless Debian Chromium, driven by Selenium,
 * opens the page the query API serves, enters a bearer token, sees the finding, opens it (both
 * sides' evidence, trust bundles, remediation), asks "why can't A reach B?", looks at the mesh
 * inventory and at the trust matrix. Screenshots go to {@code e2e/target/e2e-screenshots/} (a build artifact).
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian chromium,
 * chromium-driver; override with {@code MESHLENS_CHROMIUM} / {@code MESHLENS_CHROMEDRIVER}).
 * Without them the test is skipped, unless {@code MESHLENS_REQUIRE_BROWSER=1} (CI), where it fails.
 * The element ids and data-testid attributes used here are documented in docs/oncall-page.md.
 */
@RequiresRealServices
class OnCallPageBrowserTest {
    static final String RUN = "e2e" + UUID.randomUUID().toString().substring(0, 6);
    static final String ISTIO = RUN + "-istio";
    static final String CONSUL = RUN + "-consul";
    static final String TOKEN = "tok-oncall-" + UUID.randomUUID();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String CLIENT_ID = "spiffe://cluster.local/ns/shop/sa/frontend";
    static final String SERVER_ID =
            "spiffe://7c1e4b2a-93d0-4f6e-8a51-0c2d9e7f1a3b.consul/ns/default/dc/dc1/svc/payments";
    static final String SNI = "payments.default.dc1.internal.7c1e4b2a.consul";
    static final String GATEWAY_ID = "spiffe://cluster.local/ns/istio-system/sa/eastwest-gateway";
    static final Path SHOTS = Path.of("target", "e2e-screenshots");
    /** A real root (its PEM travels with the bundle, so the fix can carry it). */
    static final dev.meshlens.simulator.Pki.Ca ISTIO_ROOT = dev.meshlens.simulator.Pki.newCa(
            11, "O=cluster.local", NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(3000)));

    static QueryApiCommand.Running app;
    static KafkaProducer<String, String> producer;
    static String findingId;
    static String clientEventId;
    static String serverEventId;

    @BeforeAll
    static void start(KafkaService kafka, ElasticsearchService es) throws Exception {
        QueryApiConfig config = QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: %s
          group-id: %s-group
          events-topic-pattern: 'meshlens\\.events\\.%s-.*'
          findings-topic: %s.findings
          dead-letter-topic: %s.deadletter
          metadata-max-age: 1s
        elasticsearch:
          urls: [%s]
          index-prefix: %s
          replicas: 0
        ingest:
          poll-timeout: 100ms
          gauge-refresh-interval: 1s
        http:
          host: 127.0.0.1
          port: 0
        auth:
          tokens:
            - {name: oncall, sha256: %s, admin: true}
        correlation:
          enabled: false
        """.formatted(
                kafka.bootstrapServers(), RUN, RUN, RUN, RUN, es.url(), RUN, TokenAuthenticator.sha256Hex(TOKEN)));
        app = QueryApiCommand.start(config);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);

        // the two halves of one failed handshake, and what each mesh trusts
        MeshEvent client = MeshEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .observedTime(NOW.minusSeconds(30))
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .requestedServerName(SNI)
                .upstreamCluster("outbound|8443||" + SNI)
                .responseCode(503)
                .responseFlags("UF")
                .localUriSan(CLIENT_ID)
                .upstreamTransportFailureReason(
                        "TLS_error:|268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end")
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.PEER,
                        268436504L,
                        "TLSV1_ALERT_UNKNOWN_CA",
                        null,
                        "TLS_error:|268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end"))
                .build();
        MeshEvent server = MeshEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .observedTime(NOW.minusSeconds(29))
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.INBOUND)
                .observerRole(ObserverRole.SERVER)
                .requestedServerName(SNI)
                .localUriSan(SERVER_ID)
                .downstreamTransportFailureReason(
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end")
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        "unable to get local issuer certificate",
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .build();
        MeshEvent consulBundle = MeshEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .observedTime(NOW.minusSeconds(20))
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(new TrustBundle(
                        CONSUL,
                        "7c1e4b2a-93d0-4f6e-8a51-0c2d9e7f1a3b.consul",
                        "/v1/connect/ca/roots",
                        List.of(new TrustBundle.Root(
                                "CN=Consul CA 7",
                                "9e8d7c6b5a4f3322",
                                null,
                                null,
                                NOW.minus(Duration.ofDays(300)),
                                NOW.plus(Duration.ofDays(65))))))
                .build();
        MeshEvent istioCerts = MeshEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .observedTime(NOW.minusSeconds(20))
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .observerRole(ObserverRole.CLIENT)
                .certificates(List.of(new CertificateInfo(
                        "",
                        "O=cluster.local",
                        "5a3f",
                        "c0ffee00",
                        List.of(GATEWAY_ID),
                        List.of(),
                        NOW.minus(Duration.ofDays(87)),
                        NOW.plus(Duration.ofDays(3)),
                        null,
                        null,
                        false)))
                .build();
        MeshEvent istioBundle = MeshEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .observedTime(NOW.minusSeconds(20))
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(dev.meshlens.simulator.Pki.bundle(
                        ISTIO, "cluster.local", "istio-ca-root-cert", List.of(ISTIO_ROOT.root())))
                .build();
        clientEventId = client.eventId();
        serverEventId = server.eventId();
        for (MeshEvent e : List.of(client, server, istioBundle, consulBundle, istioCerts)) {
            producer.send(new ProducerRecord<>(
                            "meshlens.events." + e.meshId(),
                            e.eventId(),
                            EventCodec.get().encode(e)))
                    .get(30, TimeUnit.SECONDS);
        }
        findingId = Finding.idFor(ISTIO + "/" + CLIENT_ID, CONSUL + "/payments", FailureCategory.UNTRUSTED_ROOT);
        Finding f = new Finding(
                1,
                findingId,
                FailureCategory.UNTRUSTED_ROOT,
                ISTIO,
                CLIENT_ID,
                CONSUL,
                "payments",
                SERVER_ID,
                RejectedBy.PEER,
                "mesh " + CONSUL + " does not trust the root that signs " + CLIENT_ID,
                NOW.minusSeconds(30),
                NOW.minusSeconds(29),
                2,
                FindingState.OPEN,
                false,
                null,
                List.of(clientEventId, serverEventId),
                "Import the Istio trust bundle of " + ISTIO + " (root O=cluster.local) into Consul's CA configuration.",
                Map.of("missing_root", "O=cluster.local", "bundle_lacking_root", CONSUL),
                List.of(new Finding.StateChange(NOW.minusSeconds(29), FindingState.OPEN, "both sides failed")));
        producer.send(new ProducerRecord<>(
                        RUN + ".findings", findingId, EventCodec.get().encodeFinding(f)))
                .get(30, TimeUnit.SECONDS);

        // wait until the query API serves the finding with both sides' evidence
        HttpClient http = HttpClient.newHttpClient();
        await(
                Duration.ofSeconds(90),
                () -> {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(base() + "/api/v1/findings/" + findingId))
                                        .header("Authorization", "Bearer " + TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200
                                && r.body().contains(clientEventId)
                                && r.body().contains(serverEventId)
                                && r.body().contains("\"server_side\":[{");
                    } catch (Exception e) {
                        return false;
                    }
                },
                "finding " + findingId + " with both sides' evidence served by the query API");
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    static String base() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    static void await(Duration d, BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + d + " waiting for " + what);
    }

    static WebDriver browser() {
        String chromium = System.getenv().getOrDefault("MESHLENS_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("MESHLENS_CHROMEDRIVER", "/usr/bin/chromedriver");
        boolean present = new File(chromium).canExecute() && new File(chromedriver).canExecute();
        if (!"1".equals(System.getenv("MESHLENS_REQUIRE_BROWSER"))) {
            Assumptions.assumeTrue(
                    present, "no " + chromium + " / " + chromedriver + " (Debian chromium, chromium-driver)");
        }
        assertTrue(present, "MESHLENS_REQUIRE_BROWSER=1 but " + chromium + " or " + chromedriver + " is missing");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--user-data-dir=" + tempDir("meshlens-chromium-"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL); // CSP violations are reported on the console
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    static String tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void screenshot(WebDriver driver, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(
                SHOTS.resolve("oncall-" + name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    @Test
    void onCallEngineerFindsTheFailureBothSidesAndTheFix() throws Exception {
        WebDriver driver = browser();
        List<String> visited = new ArrayList<>();
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            driver.get(base() + "/");
            visited.add("page");

            // no token yet: the page loads and asks for one
            WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-banner")));
            assertTrue(banner.getText().contains("401"), banner.getText());

            // token -> the finding is listed with category, mesh pair and count
            driver.findElement(By.id("token-input")).sendKeys(TOKEN);
            driver.findElement(By.id("token-save")).click();
            By row = By.cssSelector("[data-testid=\"finding-row\"][data-finding-id=\"" + findingId + "\"]");
            WebElement r = wait.until(ExpectedConditions.visibilityOfElementLocated(row));
            assertTrue(r.getText().contains("UNTRUSTED_ROOT"), r.getText());
            assertTrue(r.getText().contains(ISTIO) && r.getText().contains(CONSUL), r.getText());
            assertTrue(r.getText().contains("does not trust the root"), r.getText());
            assertEquals("2", r.findElement(testId("finding-count")).getText());
            assertEquals(
                    TOKEN,
                    ((org.openqa.selenium.JavascriptExecutor) driver)
                            .executeScript("return sessionStorage.getItem('meshlens.token')"));
            screenshot(driver, "findings");
            visited.add("findings");

            // open it: both sides' evidence, the bundle that lacks the root, the remediation
            r.click();
            WebElement clientSide =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(testId("evidence-client")));
            WebElement serverSide =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(testId("evidence-server")));
            assertTrue(clientSide.getText().contains("TLSV1_ALERT_UNKNOWN_CA"), clientSide.getText());
            assertTrue(serverSide.getText().contains("CERTIFICATE_VERIFY_FAILED"), serverSide.getText());
            assertTrue(driver.findElement(testId("finding-remediation"))
                    .getText()
                    .contains("Import the Istio trust bundle"));
            WebElement roots = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("finding-roots")));
            assertTrue(
                    roots.getText().contains("CN=Consul CA 7")
                            && roots.getText().contains("O=cluster.local"),
                    roots.getText());
            assertFalse(driver.findElement(By.tagName("body")).getText().matches("(?s).*\\b(null|undefined)\\b.*"));
            screenshot(driver, "finding");
            visited.add("finding");

            // the fix: consul-dc1 (the verifier) gets istio's root as PEM, a copy button, and the described step
            // that needs a CA key; nothing private on the page
            driver.findElement(testId("finding-fix-link")).click();
            By recommended = By.cssSelector("[data-testid=\"fix-option\"][data-recommended=\"true\"]");
            WebElement fix = wait.until(ExpectedConditions.visibilityOfElementLocated(recommended));
            assertEquals(CONSUL, fix.getAttribute("data-mesh"));
            assertTrue(
                    fix.findElement(testId("fix-title")).getText().startsWith("Recommended: mesh " + CONSUL),
                    fix.getText());
            assertTrue(fix.findElement(testId("fix-why")).getText().contains("is not one of them"), fix.getText());
            WebElement pem = fix.findElement(By.cssSelector("[data-testid=\"fix-resource\"][data-format=\"pem\"]"));
            assertEquals(
                    dev.meshlens.simulator.Pki.pem(ISTIO_ROOT.root()),
                    pem.findElement(testId("fix-text")).getText() + "\n");
            assertTrue(fix.findElement(testId("fix-steps")).getText().contains("private key"), fix.getText());
            WebElement copy = pem.findElement(testId("fix-copy"));
            copy.click();
            wait.until(ExpectedConditions.textToBePresentInElement(copy, "Copied"));
            assertFalse(driver.getPageSource().contains("PRIVATE KEY-----"), "no key on the page");
            assertFalse(driver.findElement(By.tagName("body")).getText().matches("(?s).*\\b(null|undefined)\\b.*"));
            screenshot(driver, "fix");
            visited.add("fix");

            // why can't A reach B?
            driver.findElement(By.id("tab-diagnose")).click();
            driver.findElement(By.id("diagnose-from")).sendKeys(CLIENT_ID);
            driver.findElement(By.id("diagnose-to")).sendKeys("payments");
            driver.findElement(By.id("diagnose-submit")).click();
            WebElement verdict = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("diagnose-verdict")));
            assertEquals(
                    "FAILING",
                    verdict.getAttribute("data-verdict"),
                    () -> "verdict " + verdict.getText() + ": "
                            + driver.findElement(By.id("diagnose-result")).getText());
            assertFalse(
                    driver.findElement(testId("diagnose-explanation")).getText().isBlank());
            screenshot(driver, "diagnose");
            visited.add("diagnose");

            // mesh inventory: both meshes, their roots
            driver.findElement(By.id("tab-meshes")).click();
            By consulCard = By.cssSelector("[data-testid=\"mesh-card\"][data-mesh-id=\"" + CONSUL + "\"]");
            WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(consulCard));
            assertTrue(card.getText().contains("CN=Consul CA 7"), card.getText());
            WebElement istioCard = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=\"mesh-card\"][data-mesh-id=\"" + ISTIO + "\"]")));
            assertTrue(istioCard.getText().contains(GATEWAY_ID), istioCard.getText());
            assertFalse(
                    istioCard.findElements(testId("blind-spot")).isEmpty(),
                    "istio mesh sends no ssl stats: a blind spot");
            screenshot(driver, "meshes");
            visited.add("meshes");

            // trust matrix: consul's bundle lacks istio's root (the open finding confirms it); istio verifying
            // consul is unknown (no certificates of consul reported)
            driver.findElement(By.id("tab-trust")).click();
            By lacking = By.cssSelector("[data-testid=\"trust-cell\"][data-client=\"" + ISTIO + "\"][data-server=\""
                    + CONSUL + "\"][data-direction=\"server_verifies_client\"]");
            WebElement cell = wait.until(ExpectedConditions.visibilityOfElementLocated(lacking));
            assertEquals("not_trusted", cell.getAttribute("data-state"), cell.getText());
            assertEquals("confirmed", cell.getAttribute("data-confirmation"));
            assertEquals(
                    "unknown",
                    driver.findElement(By.cssSelector("[data-testid=\"trust-cell\"][data-client=\"" + ISTIO
                                    + "\"][data-server=\"" + CONSUL + "\"][data-direction=\"client_verifies_server\"]"))
                            .getAttribute("data-state"));
            cell.click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    testId("trust-reason"), "lacks root O=cluster.local"));
            WebElement detail = driver.findElement(testId("trust-cell-detail"));
            assertTrue(detail.getText().contains(ISTIO + " → " + CONSUL), detail.getText());
            assertTrue(driver.getCurrentUrl().contains("direction=server_verifies_client"), driver.getCurrentUrl());
            assertTrue(
                    driver.findElement(testId("trust-confirmation")).getText().startsWith("confirmed"),
                    driver.findElement(testId("trust-confirmation")).getText());
            assertFalse(driver.findElement(testId("trust-roots")).getText().isBlank());
            assertFalse(driver.findElement(By.tagName("body")).getText().matches("(?s).*\\b(null|undefined|NaN)\\b.*"));
            screenshot(driver, "trust");
            visited.add("trust");
            // the page works under the query API's Content-Security-Policy: the browser refused nothing
            List<String> refused = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::getMessage)
                    .filter(m -> m.contains("Content Security Policy"))
                    .toList();
            assertTrue(refused.isEmpty(), "CSP violations: " + refused);
        } catch (Throwable t) {
            screenshot(driver, "failure");
            throw new AssertionError("on-call page failed after " + visited + " (screenshot oncall-failure.png)", t);
        } finally {
            driver.quit();
        }
    }
}
