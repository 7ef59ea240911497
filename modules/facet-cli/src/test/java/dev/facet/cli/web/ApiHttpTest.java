package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facet.core.Listing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every endpoint and every rejection, over HTTP against the shared in-process server. */
class ApiHttpTest {
  private static WebFixture fx;
  private static Http http;

  @BeforeAll
  static void start() {
    fx = WebFixture.shared();
    http = new Http(fx.base);
  }

  // ---- health, page, routing

  @Test
  void healthReportsTheServedIndex() {
    Http.Res res = http.get("/api/health");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.contentType()).startsWith("application/json");
    assertThat(res.json().get("status").asText()).isEqualTo("ok");
    assertThat(res.json().get("listings").asInt()).isEqualTo(WebFixture.LISTINGS);
    assertThat(res.json().get("model").asBoolean()).isTrue();
    assertThat(res.json().get("request_priority").asText()).isIn("untried", "realtime", "refused", "off");
  }

  @Test
  void servesTheMerchantPage() {
    Http.Res page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("id=\"photo-input\"", "id=\"user-form\"", "id=\"search-form\"", "id=\"results\"");
    assertThat(page.text()).doesNotContain("http://", "https://"); // nothing from a CDN
    assertThat(http.get("/static/app.js").text()).contains("/api/similar");
  }

  @Test
  void unknownPathsAndWrongMethodsAreJsonErrors() {
    Http.Res missing = http.get("/api/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isNotBlank();
    assertThat(http.method("DELETE", "/api/health").status()).isEqualTo(405);
    assertThat(http.method("PUT", "/api/similar").status()).isEqualTo(405);
    assertThat(http.get("/api/events").status()).isEqualTo(405);
  }

  @Test
  void filterChoicesCoverTheCatalog() {
    JsonNode f = http.get("/api/filters").json();
    Set<String> categories = new HashSet<>();
    fx.listings.forEach(l -> categories.add(l.category()));
    assertThat(texts(f.get("category"))).containsExactlyInAnyOrderElementsOf(categories);
    assertThat(f.get("max_price").asDouble())
        .isEqualTo(fx.listings.stream().mapToDouble(Listing::price).max().orElseThrow());
  }

  // ---- recommend

  @Test
  void recommendsForAKnownUserWithReasons() {
    String user = fx.warmUser();
    Http.Res res = http.get("/api/recommend?user=" + user + "&k=5");
    assertThat(res.status()).isEqualTo(200);
    JsonNode items = res.json().get("items");
    assertThat(items.size()).isBetween(1, 5);
    assertThat(res.json().get("generation").asText()).as("the model generation that ranked them").matches("[0-9a-f]{12}")
        .isEqualTo(fx.facet.recommendations(user, 1, dev.facet.core.Filter.NONE).generation());
    for (JsonNode item : items) {
      assertThat(item.get("reasons").size()).isPositive();
      assertThat(item.get("reasons").get(0).get("kind").asText()).isNotEqualTo("popular");
      assertThat(item.get("image_url").asText()).startsWith("/images/");
      assertThat(item.get("title").asText()).isNotBlank();
    }
  }

  @Test
  void recommendAppliesFilters() {
    String category = fx.listings.get(0).category();
    JsonNode items = http.get("/api/recommend?user=" + fx.warmUser() + "&k=10&category=" + category).json().get("items");
    assertThat(items.size()).isPositive();
    items.forEach(i -> assertThat(i.get("category").asText()).isEqualTo(category));
    JsonNode cheap = http.get("/api/recommend?user=" + fx.warmUser() + "&k=10&max_price=2000&in_stock=true")
        .json().get("items");
    assertThat(cheap.size()).as("cheap in-stock recommendations").isPositive();
    cheap.forEach(i -> {
      assertThat(i.get("price").asDouble()).isLessThanOrEqualTo(2000);
      assertThat(i.get("in_stock").asBoolean()).isTrue();
    });
  }

  @Test
  void unknownUserGetsPopularListings() {
    JsonNode items = http.get("/api/recommend?user=nobody-ever&k=4").json().get("items");
    assertThat(items.size()).isEqualTo(4);
    items.forEach(i -> assertThat(i.get("reasons").get(0).get("kind").asText()).isEqualTo("popular"));
  }

  @Test
  void recommendsForAnAnonymousSession() {
    String a = fx.listings.get(1).id();
    String b = fx.listings.get(2).id();
    Http.Res res = http.get("/api/recommend?session=" + a + "," + b + "&k=6");
    assertThat(res.status()).isEqualTo(200);
    assertThat(ids(res.json())).hasSizeBetween(1, 6).doesNotContain(a, b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"k=-5", "k=0", "k=101", "k=abc", "k=1.5", "k=99999999999", "k=1&k=2"})
  void boundsK(String k) {
    Http.Res res = http.get("/api/recommend?user=u-0001&" + k);
    assertBadRequest(res, "k");
    assertBadRequest(http.get("/api/similar?item=" + fx.listings.get(0).id() + "&" + k), "k");
    assertBadRequest(http.get("/api/search?q=ring&" + k), "k");
  }

  @ParameterizedTest
  @ValueSource(strings = {"min_price=abc", "max_price=1e999", "min_price=-1", "min_price=NaN", "min_price=500&max_price=100",
      "in_stock=maybe", "mode=sideways"})
  void malformedParametersAre400(String param) {
    assertBadRequest(http.get("/api/similar?item=" + fx.listings.get(0).id() + "&" + param), param.split("=")[0]);
  }

  @Test
  void recommendNeedsExactlyOneOfUserAndSession() {
    assertBadRequest(http.get("/api/recommend"), "user");
    assertBadRequest(http.get("/api/recommend?user=u-1&session=" + fx.listings.get(0).id()), "either");
    assertBadRequest(http.get("/api/recommend?user=" + "x".repeat(600)), "user");
    assertBadRequest(http.raw("/api/recommend?user=%zz"), "query");
    Http.Res unknown = http.get("/api/recommend?session=NO-SUCH-ITEM");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).contains("NO-SUCH-ITEM");
  }

  // ---- similar by listing

  @Test
  void similarByListingExcludesTheListingItself() {
    String id = fx.listings.get(3).id();
    Http.Res res = http.get("/api/similar?item=" + id + "&k=5");
    assertThat(res.status()).isEqualTo(200);
    assertThat(ids(res.json())).hasSize(5).doesNotContain(id);
    JsonNode first = res.json().get("items").get(0);
    assertThat(first.get("rank").asInt()).isEqualTo(1);
    assertThat(first.has("material")).isTrue();
    assertThat(http.get("/api/similar?item=" + id + "&k=3&mode=text").json().get("items").size()).isEqualTo(3);
    assertThat(http.get("/api/similar?item=" + id + "&k=3&mode=FUSED").status()).isEqualTo(200);
  }

  @Test
  void similarByListingAppliesFilters() {
    Listing l = fx.listings.get(0);
    JsonNode items = http.get("/api/similar?item=" + l.id() + "&k=20&material=" + l.material()).json().get("items");
    assertThat(items.size()).isPositive();
    items.forEach(i -> assertThat(i.get("material").asText()).isEqualTo(l.material()));
  }

  @Test
  void similarByUnknownOrMissingListing() {
    Http.Res res = http.get("/api/similar?item=R-99999");
    assertThat(res.status()).isEqualTo(404);
    assertThat(res.json().get("error").asText()).contains("R-99999");
    assertBadRequest(http.get("/api/similar"), "item");
  }

  // ---- similar by photo

  @Test
  void aNewPhotoOfAListingFindsThatListingFirst() {
    Listing subject = fx.distinctiveListing(0);
    byte[] photo = WebFixture.rephotograph(subject, 991L);
    Http.Res res = http.upload("/api/similar?k=5", "photo", "shot.jpg", "image/jpeg", photo);
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    assertThat(ids(res.json())).hasSize(5).first().isEqualTo(subject.id());
  }

  @Test
  void photoSearchAppliesFilters() {
    Listing subject = fx.listings.get(5);
    String other = fx.listings.stream().map(Listing::category).filter(c -> !c.equals(subject.category())).findFirst()
        .orElseThrow();
    Http.Res res = http.upload("/api/similar?k=5&category=" + other, "photo", "shot.jpg", "image/jpeg",
        WebFixture.rephotograph(subject, 991L));
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.json().get("items").size()).as("hits in category " + other).isEqualTo(5);
    res.json().get("items").forEach(i -> assertThat(i.get("category").asText()).isEqualTo(other));
  }

  @Test
  void nonImageUploadIs415WithAMessage() {
    Http.Res res = http.upload("/api/similar", "photo", "notes.txt", "text/plain",
        "these are not the pixels you are looking for".getBytes(StandardCharsets.UTF_8));
    assertThat(res.status()).isEqualTo(415);
    assertThat(res.json().get("error").asText()).contains("not a usable image");
    assertNoStackTrace(res);
    // A truncated JPEG: the right magic bytes, no image behind them.
    byte[] jpeg = WebFixture.rephotograph(fx.listings.get(0), 1L);
    Http.Res truncated = http.upload("/api/similar", "photo", "cut.jpg", "image/jpeg", java.util.Arrays.copyOf(jpeg, 40));
    assertThat(truncated.status()).isEqualTo(415);
  }

  @Test
  void anUploadWhoseHeaderHidesAHugeFrameIs415BeforeDecoding() {
    // 30000x30000 in the first frame header (what libjpeg would allocate), the real size in the last.
    byte[] jpeg = WebFixture.rephotograph(fx.listings.get(0), 3L);
    int sof = 2;
    while (!((jpeg[sof + 1] & 0xFF) >= 0xC0 && (jpeg[sof + 1] & 0xFF) <= 0xC3)) {
      sof += 2 + (((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF));
    }
    int length = ((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF);
    java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
    byte[] head = java.util.Arrays.copyOf(jpeg, jpeg.length - 2);
    head[sof + 5] = (byte) (30000 >> 8);
    head[sof + 6] = (byte) 30000;
    head[sof + 7] = (byte) (30000 >> 8);
    head[sof + 8] = (byte) 30000;
    bomb.writeBytes(head);
    bomb.write(jpeg, sof, 2 + length);
    bomb.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    Http.Res res = http.upload("/api/similar", "photo", "bomb.jpg", "image/jpeg", bomb.toByteArray());
    assertThat(res.status()).isEqualTo(415);
    assertThat(res.json().get("error").asText()).contains("image too large (declared 30000x30000");
  }

  @Test
  void oversizedUploadIs413() {
    byte[] big = new byte[Api.MAX_UPLOAD_BYTES + 1024];
    for (boolean expectContinue : new boolean[] {false, true}) {
      for (int attempt = 0; attempt < 3; attempt++) { // repeated: the refusal must not race the upload
        Http.Res res = http.upload("/api/similar", "photo", "huge.jpg", "image/jpeg", big, expectContinue);
        assertThat(res.status()).as("expect-continue=%s", expectContinue).isEqualTo(413);
        assertThat(res.json().get("error").asText()).contains("larger than");
      }
    }
    // The server is still fine afterwards.
    assertThat(http.get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void malformedUploadsAre4xx() {
    Http.Res notMultipart = http.post("/api/similar", "image/jpeg", WebFixture.rephotograph(fx.listings.get(0), 2L));
    assertThat(notMultipart.status()).isEqualTo(415);
    assertThat(notMultipart.json().get("error").asText()).contains("multipart/form-data");
    Http.Res wrongField = http.upload("/api/similar", "picture", "a.jpg", "image/jpeg",
        WebFixture.rephotograph(fx.listings.get(0), 2L));
    assertBadRequest(wrongField, "photo");
    Http.Res garbage = http.post("/api/similar", "multipart/form-data; boundary=xyz", "no parts here".getBytes());
    assertBadRequest(garbage, "multipart");
    assertBadRequest(http.post("/api/similar", "multipart/form-data", new byte[10]), "boundary");
    Http.Res empty = http.upload("/api/similar", "photo", "empty.jpg", "image/jpeg", new byte[0]);
    assertBadRequest(empty, "empty");
  }

  // ---- text search

  @Test
  void textSearchFindsListingsByTitleWords() {
    Listing l = fx.listings.get(7);
    String q = URLEncoder.encode(l.titleEn() != null ? l.titleEn() : l.title(), StandardCharsets.UTF_8);
    for (String mode : new String[] {"hybrid", "bm25", "vector"}) {
      Http.Res res = http.get("/api/search?k=10&mode=" + mode + "&q=" + q);
      assertThat(res.status()).as(mode).isEqualTo(200);
      assertThat(ids(res.json())).as(mode).isNotEmpty().hasSizeLessThanOrEqualTo(10);
    }
    assertThat(ids(http.get("/api/search?k=10&mode=bm25&q=" + q).json())).contains(l.id());
    assertBadRequest(http.get("/api/search"), "q");
    assertBadRequest(http.get("/api/search?q=%20%20"), "q");
  }

  // ---- events

  @Test
  void recordedEventsChangeTheNextRecommendations() {
    String user = "web-test-shopper";
    JsonNode before = http.get("/api/recommend?user=" + user + "&k=5").json().get("items");
    assertThat(before.get(0).get("reasons").get(0).get("kind").asText()).isEqualTo("popular");
    String bought = fx.listings.get(9).id();
    Http.Res res = http.post("/api/events", "application/json",
        ("{\"user\":\"" + user + "\",\"item\":\"" + bought + "\",\"event\":\"purchase\",\"ts\":\"2026-11-01T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(res.status()).isEqualTo(202);
    assertThat(res.json().get("event").asText()).isEqualTo("purchase");
    assertThat(res.json().get("ts").asText()).isEqualTo("2026-11-01T10:00:00Z");
    Http.Res clicked = http.post("/api/events", "application/json",
        ("{\"user\":\"" + user + "\",\"item\":\"" + fx.listings.get(10).id() + "\",\"event\":\"click\",\"ts\":1767225600000}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(clicked.status()).isEqualTo(202);
    JsonNode after = http.get("/api/recommend?user=" + user + "&k=5").json();
    assertThat(after.get("items").get(0).get("reasons").get(0).get("kind").asText()).isNotEqualTo("popular");
    assertThat(ids(after)).doesNotContain(bought);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "[1,2]", "\"text\"", "{\"item\":\"%s\",\"event\":\"click\"}",
      "{\"user\":\"u\",\"event\":\"click\"}", "{\"user\":\"u\",\"item\":\"%s\"}",
      "{\"user\":\"u\",\"item\":\"%s\",\"event\":\"teleport\"}", "{\"user\":42,\"item\":\"%s\",\"event\":\"click\"}",
      "{\"user\":\"u\",\"item\":\"%s\",\"event\":\"click\",\"ts\":\"yesterday\"}",
      "{\"user\":\"u\",\"item\":\"%s\",\"event\":\"click\",\"ts\":[1]}", ""})
  void malformedEventsAre400(String template) {
    Http.Res res = http.post("/api/events", "application/json",
        template.formatted(fx.listings.get(0).id()).getBytes(StandardCharsets.UTF_8));
    assertThat(res.status()).as(template).isEqualTo(400);
    assertThat(res.json().get("error").asText()).isNotBlank();
    assertNoStackTrace(res);
  }

  @Test
  void eventsForUnknownListingsAre404AndHugeBodies413() {
    Http.Res unknown = http.post("/api/events", "application/json",
        "{\"user\":\"u\",\"item\":\"R-99999\",\"event\":\"click\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(unknown.status()).isEqualTo(404);
    Http.Res huge = http.post("/api/events", "application/json",
        ("{\"user\":\"" + "u".repeat(Api.MAX_EVENT_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(huge.status()).isEqualTo(413);
  }

  // ---- items

  @Test
  void itemDetails() {
    Listing l = fx.listings.get(4);
    Http.Res res = http.get("/api/items/" + l.id());
    assertThat(res.status()).isEqualTo(200);
    JsonNode item = res.json();
    assertThat(item.get("id").asText()).isEqualTo(l.id());
    assertThat(item.get("title").asText()).isEqualTo(l.title());
    assertThat(item.get("price").asDouble()).isEqualTo(l.price());
    assertThat(item.get("material").asText()).isEqualTo(l.material());
    assertThat(item.get("images").get(0).asText()).isEqualTo("/images/" + l.primaryImage());
  }

  @Test
  void unknownItemIs404() {
    for (String id : new String[] {"R-99999", "x".repeat(300), "R-00001%20"}) {
      Http.Res res = http.get("/api/items/" + id);
      assertThat(res.status()).as(id).isEqualTo(404);
      assertThat(res.json().get("error").asText()).isNotBlank();
    }
    // An encoded dot segment never reaches the lookup: Jetty refuses the ambiguous path itself.
    Http.Res dots = http.raw("/api/items/%2e%2e");
    assertThat(dots.status()).isEqualTo(400);
    assertThat(dots.contentType()).startsWith("application/json");
    assertNoStackTrace(dots);
  }

  // ---- images

  @Test
  void servesListingImagesFromTheCatalog() throws Exception {
    Listing l = fx.listings.get(0);
    String url = http.get("/api/items/" + l.id()).json().get("image_url").asText();
    Http.Res img = http.get(url);
    assertThat(img.status()).isEqualTo(200);
    assertThat(img.contentType()).isEqualTo("image/jpeg");
    assertThat(img.body()).isEqualTo(Files.readAllBytes(fx.catalog.resolve(l.primaryImage())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/images/../listings.jsonl", "/images/images/../../pom.xml", "/images/%2e%2e/listings.jsonl",
      "/images/%2E%2E/%2E%2E/pom.xml", "/images/..%2flistings.jsonl", "/images/..%2Flistings.jsonl",
      "/images/%2e%2e%2flistings.jsonl", "/images/images%5c..%5c..%5clistings.jsonl", "/images/..%5clistings.jsonl",
      "/images/..\\listings.jsonl", "/images/%252e%252e/listings.jsonl", "/images//etc/passwd", "/images/%2fetc%2fpasswd",
      "/images/listings.jsonl", "/images/users.jsonl", "/images/images/%00.jpg", "/images/C:%5cwindows%5cwin.ini",
      "/images/images/..;/listings.jsonl", "/images/.%2e/listings.jsonl", "/images/images/R-00001.jpg/../../listings.jsonl"})
  void refusesPathTraversal(String target) {
    Http.Res res = http.raw(target);
    assertThat(res.status()).as(target).isBetween(400, 499);
    assertThat(res.text()).as(target).doesNotContain("\"title\"", "root:", "<project", "\"taste\"");
    assertNoStackTrace(res);
  }

  @Test
  void refusesImagesLinkedFromOutsideTheCatalog() throws Exception {
    Path outside = Files.writeString(fx.catalog.getParent().resolve("outside-secret.jpg"), "secret bytes");
    Path link = fx.catalog.resolve("images/linked-secret.jpg");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, outside);
    try {
      Http.Res res = http.get("/images/images/linked-secret.jpg");
      assertThat(res.status()).isEqualTo(404);
      assertThat(res.text()).doesNotContain("secret bytes");
    } finally {
      Files.delete(link);
    }
  }

  // ---- concurrency

  @Test
  void servesConcurrentRequests() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        String id = fx.listings.get(i % fx.listings.size()).id();
        String path = switch (i % 3) {
          case 0 -> "/api/similar?item=" + id + "&k=5";
          case 1 -> "/api/recommend?user=" + fx.warmUser() + "&k=5";
          default -> "/api/items/" + id;
        };
        results.add(pool.submit(() -> http.get(path).status()));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers

  private static void assertBadRequest(Http.Res res, String mentioned) {
    assertThat(res.status()).as(res.text()).isEqualTo(400);
    assertThat(res.contentType()).startsWith("application/json");
    assertThat(res.json().get("error").asText()).containsIgnoringCase(mentioned);
    assertNoStackTrace(res);
  }

  private static void assertNoStackTrace(Http.Res res) {
    assertThat(res.text()).doesNotContain("Exception", "\tat ", "at dev.facet", "at org.eclipse");
  }

  private static List<String> ids(JsonNode response) {
    List<String> out = new ArrayList<>();
    response.get("items").forEach(i -> out.add(i.get("id").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
