package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The merchant page end to end in Debian's headless Chromium: upload a new photo of a listing and
 * expect that listing first in the grid; ask for a shopper's recommendations and see their reasons;
 * narrow the grid with a filter. Screenshots go to {@code target/web-*.png}.
 */
class MerchantPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static WebFixture fx;
  private static ChromeDriver driver;

  private static final String MISSING = "headless Chromium not installed: " + CHROMEDRIVER + " or " + CHROMIUM
      + " is missing (apt-get install chromium chromium-driver; .ci/run installs them)";
  private static final boolean PRESENT = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);

  @BeforeAll
  static void start() {
    if (!PRESENT) {
      System.out.println("MerchantPageBrowserTest skipped: " + MISSING);
      return; // each test then reports itself skipped with the reason (see requireBrowser)
    }
    fx = WebFixture.shared();
    ChromeOptions options = new ChromeOptions();
    // An explicit binary and driver keep Selenium Manager from trying to download a browser.
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1100", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @BeforeEach
  void requireBrowser() {
    Assumptions.assumeTrue(PRESENT, MISSING);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void uploadedPhotoShowsItsListingFirst() throws IOException {
    Listing subject = fx.distinctiveListing(1);
    Path photo = Path.of("target", "web-query-photo.jpg").toAbsolutePath();
    Files.write(photo, WebFixture.rephotograph(subject, 4242L));
    openPage();

    driver.findElement(By.id("photo-input")).sendKeys(photo.toString());
    List<WebElement> cards = waitForResults("look like web-query-photo.jpg");

    assertThat(cards).isNotEmpty();
    assertThat(cards.get(0).getAttribute("data-id")).isEqualTo(subject.id());
    assertThat(cards.get(0).findElement(By.cssSelector(".title")).getText()).isEqualTo(subject.title());
    assertThat(cards.get(0).findElement(By.cssSelector(".material")).getText())
        .contains(subject.material().replace('_', ' '));
    assertThat(cards.get(0).findElement(By.cssSelector(".price")).getText()).startsWith("¥");
    // The thumbnail was really loaded from /images/.
    assertThat((Boolean) driver.executeScript(
        "const i = arguments[0]; return i.complete && i.naturalWidth > 0 && i.src.includes('/images/');",
        cards.get(0).findElement(By.tagName("img")))).isTrue();
    screenshot("web-similar.png");

    // Narrowing by material re-runs the same photo query inside the filter.
    String other = fx.listings.stream().map(Listing::material).filter(m -> !m.equals(subject.material())).findFirst()
        .orElseThrow();
    new Select(driver.findElement(By.id("f-material"))).selectByValue(other);
    List<WebElement> filtered = waitForCards(c -> !c.isEmpty()
        && c.stream().allMatch(e -> e.findElement(By.cssSelector(".material")).getText().startsWith(other.replace('_', ' ') + " ·")));
    assertThat(filtered).extracting(e -> e.getAttribute("data-id")).doesNotContain(subject.id());
    screenshot("web-similar-filtered.png");
  }

  @Test
  void shopperRecommendationsShowReasons() {
    openPage();
    WebElement box = driver.findElement(By.id("user-input"));
    box.sendKeys(fx.warmUser());
    driver.findElement(By.cssSelector("#user-form button")).click();
    List<WebElement> cards = waitForResults("Recommended for " + fx.warmUser());
    assertThat(cards).isNotEmpty();
    for (WebElement card : cards) {
      assertThat(card.findElements(By.cssSelector(".reasons li"))).isNotEmpty();
    }
    screenshot("web-recommend.png");
  }

  @Test
  void textSearchFillsTheGrid() {
    openPage();
    Listing l = fx.listings.get(7);
    driver.findElement(By.id("search-input")).sendKeys(l.titleEn() != null ? l.titleEn() : l.title());
    driver.findElement(By.cssSelector("#search-form button")).click();
    List<WebElement> cards = waitForResults("Search:");
    assertThat(cards).extracting(e -> e.getAttribute("data-id")).contains(l.id());
  }

  private static void openPage() {
    driver.get(fx.base + "/");
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    // Filters persist across tests only through the DOM; a fresh load resets them.
    assertThat(new Select(driver.findElement(By.id("f-material"))).getOptions()).hasSizeGreaterThan(1);
  }

  /** Waits until the results title says the query finished (it ends in "(n)") and returns the cards. */
  private static List<WebElement> waitForResults(String titleFragment) {
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
      String title = d.findElement(By.id("results-title")).getText();
      String message = d.findElement(By.id("message")).getText();
      if (!message.isBlank() && d.findElements(By.cssSelector("#results .card")).isEmpty()) {
        throw new AssertionError("the page reported: " + message);
      }
      return title.contains(titleFragment) && title.matches(".*\\(\\d+\\)$");
    });
    return driver.findElements(By.cssSelector("#results .card"));
  }

  private static List<WebElement> waitForCards(java.util.function.Predicate<List<WebElement>> done) {
    return new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
      if (!"false".equals(d.findElement(By.id("results")).getAttribute("aria-busy"))) {
        return null;
      }
      List<WebElement> cards = d.findElements(By.cssSelector("#results .card"));
      return done.test(cards) ? cards : null;
    });
  }

  private static void screenshot(String name) {
    try {
      Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(file, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
