package dev.meshlens.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The on-call page in a real browser (Debian's headless Chromium) against the running demo:
 * sign in with a token, see the demo's findings, open one with both sides' evidence, run a
 * diagnose. Screenshots land in target/screenshots as build artifacts.
 */
class OnCallPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void onCallEngineerFindsTheProblemInTheBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "1".equals(System.getenv("MESHLENS_REQUIRE_BROWSER"))) {
            throw new AssertionError(
                    "MESHLENS_REQUIRE_BROWSER=1 but /usr/bin/chromium or /usr/bin/chromedriver is missing"
                            + " (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "Debian chromium + chromium-driver not installed; .ci/run installs them");

        Demo demo = RunningDemo.get();
        RunningDemo.awaitFindings(demo, Set.of("UNTRUSTED_ROOT", "SAN_MISMATCH"), Duration.ofMinutes(4));
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Path profile = Files.createTempDirectory("meshlens-chromium");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
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
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(demo.queryApiUrl() + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
            driver.findElement(By.id("token-input")).sendKeys(Demo.ONCALL_TOKEN);
            driver.findElement(By.id("token-save")).click();

            // Findings list: the demo's injected faults.
            List<WebElement> rows = wait.until(
                    ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("[data-testid=finding-row]"), 1));
            String table = driver.findElement(By.id("findings-table")).getText();
            assertTrue(table.contains("UNTRUSTED_ROOT"), table);
            assertTrue(table.contains("SAN_MISMATCH"), table);
            shot(driver, shots.resolve("oncall-findings.png"));

            // One finding: both sides' evidence and the remediation.
            WebElement untrusted = rows.stream()
                    .filter(r -> r.getText().contains("UNTRUSTED_ROOT"))
                    .findFirst()
                    .orElseThrow();
            untrusted.click();
            WebElement remediation = wait.until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=finding-remediation]")));
            assertFalse(remediation.getText().isBlank(), "remediation is shown");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=evidence-client]")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=evidence-server]")));
            shot(driver, shots.resolve("oncall-finding.png"));

            // Why can't frontend reach billing?
            driver.findElement(By.id("tab-diagnose")).click();
            WebElement from = wait.until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=diagnose-from]")));
            from.clear();
            from.sendKeys("frontend");
            WebElement to = driver.findElement(By.cssSelector("[data-testid=diagnose-to]"));
            to.clear();
            to.sendKeys("billing");
            driver.findElement(By.cssSelector("[data-testid=diagnose-submit]")).click();
            WebElement verdict = wait.until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=diagnose-verdict]")));
            assertEquals("FAILING", verdict.getAttribute("data-verdict"), verdict.getText());
            shot(driver, shots.resolve("oncall-diagnose.png"));
        } finally {
            driver.quit();
        }
    }

    private static void shot(WebDriver driver, Path target) throws Exception {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
