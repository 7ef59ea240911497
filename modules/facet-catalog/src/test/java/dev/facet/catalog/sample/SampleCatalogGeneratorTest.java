package dev.facet.catalog.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.ValidationReport;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCatalogGeneratorTest {
  static final SampleCatalogGenerator GENERATOR = new SampleCatalogGenerator();
  static final ObjectMapper JSON = new ObjectMapper();
  static final CatalogReader READER = new CatalogReader(new ImagePipeline(ImagePipeline.DEFAULT_SIZE));

  @TempDir static Path shared;
  static Path small;
  static GeneratedCatalog smallCatalog;

  @BeforeAll
  static void generateSmall() {
    small = shared.resolve("small");
    smallCatalog = GENERATOR.generate(40, 20, 7, small);
  }

  @TempDir Path dir;

  @Test
  void sameSeedGivesIdenticalBytesInEveryFile() throws IOException {
    Path again = dir.resolve("again");
    GENERATOR.generate(40, 20, 7, again);
    List<Path> first = files(small);
    List<Path> second = files(again);
    assertThat(second.stream().map(p -> again.relativize(p).toString()).toList())
        .isEqualTo(first.stream().map(p -> small.relativize(p).toString()).toList());
    assertThat(first).hasSizeGreaterThanOrEqualTo(45); // 5 files + 40 photos
    for (Path p : first) {
      assertThat(Files.readAllBytes(again.resolve(small.relativize(p).toString()))).as(p.toString()).isEqualTo(Files.readAllBytes(p));
    }
  }

  @Test
  void differentSeedGivesADifferentCatalog() throws IOException {
    Path other = dir.resolve("other");
    GENERATOR.generate(40, 20, 8, other);
    for (String name : List.of("listings.jsonl", "interactions.jsonl", "users.jsonl", "ground-truth.jsonl", "images/R-00001.jpg")) {
      if (Files.exists(small.resolve(name)) && Files.exists(other.resolve(name))) {
        assertThat(Files.readAllBytes(other.resolve(name))).as(name).isNotEqualTo(Files.readAllBytes(small.resolve(name)));
      }
    }
    assertThat(Files.readString(other.resolve("README.md"))).contains("--seed 8");
  }

  @Test
  void regeneratingIntoADirectoryRemovesStalePhotos() throws IOException {
    Path out = dir.resolve("shrink");
    GENERATOR.generate(30, 10, 3, out);
    GENERATOR.generate(12, 10, 3, out);
    try (Stream<Path> s = Files.list(out.resolve("images"))) {
      assertThat(s.count()).isEqualTo(12);
    }
  }

  @Test
  void smallCatalogValidatesCleanlyWithImages() {
    ValidationReport report = READER.validate(small, true, dir.resolve("rejects.jsonl"));
    assertThat(report.rejected()).as(report.summary()).isZero();
    assertThat(report.listings().accepted()).isEqualTo(40);
    assertThat(report.users().accepted()).isEqualTo(20);
    assertThat(report.interactions().accepted()).isEqualTo(smallCatalog.events());
    assertThat(report.interactionsWithUnknownItem()).isZero();
  }

  @Test
  void listingsAreConsistentJewelry() {
    List<Listing> listings = new ArrayList<>();
    READER.readListings(small.resolve("listings.jsonl"), listings::add, e -> { throw new AssertionError(e); });
    Map<String, String> prefix = Map.of("ring", "R-", "necklace", "N-", "earrings", "E-", "bracelet", "B-", "pendant", "P-");
    Set<String> metals = Set.of("18k_gold", "rose_gold", "white_gold", "platinum", "925_silver", "24k_gold");
    Set<String> stones = Set.of("diamond", "pearl", "jade", "ruby", "sapphire", "emerald", "none");
    for (Listing l : listings) {
      assertThat(l.id()).startsWith(prefix.get(l.category())).matches("[RNEBP]-\\d{5}");
      assertThat(metals).contains(l.material());
      assertThat(stones).contains(l.gemstone());
      assertThat(l.price()).isBetween(29.0, 1_000_000.0);
      assertThat(l.merchant()).matches("m-(0[1-9]|1[0-2])");
      assertThat(l.title()).matches(".*[\\u4e00-\\u9fff].*");
      assertThat(l.images()).containsExactly("images/" + l.id() + ".jpg");
      assertThat(l.description()).isNotBlank();
    }
  }

  @Test
  void pricesFollowMaterialAndStone() {
    Path out = dir.resolve("prices");
    GENERATOR.generate(600, 5, 11, out, false);
    List<Listing> listings = new ArrayList<>();
    READER.readListings(out.resolve("listings.jsonl"), listings::add, e -> { throw new AssertionError(e); });
    assertThat(medianPrice(listings, "platinum", null)).isGreaterThan(3 * medianPrice(listings, "925_silver", null));
    assertThat(medianPrice(listings, null, "diamond")).isGreaterThan(1.5 * medianPrice(listings, null, "none"));
  }

  private static double medianPrice(List<Listing> listings, String material, String gemstone) {
    double[] prices = listings.stream()
        .filter(l -> material == null || l.material().equals(material))
        .filter(l -> gemstone == null || l.gemstone().equals(gemstone))
        .mapToDouble(Listing::price).sorted().toArray();
    assertThat(prices.length).isGreaterThan(10);
    return prices[prices.length / 2];
  }

  @Test
  void descriptionsCarryTheAttributesInVariedWording() throws IOException {
    Path out = dir.resolve("text");
    GENERATOR.generate(300, 5, 5, out, false);
    List<Listing> listings = new ArrayList<>();
    READER.readListings(out.resolve("listings.jsonl"), listings::add, e -> { throw new AssertionError(e); });
    Map<String, String> zh = Map.of("diamond", "钻", "pearl", "珍珠", "jade", "翡翠", "ruby", "红宝石", "sapphire", "蓝宝石", "emerald", "祖母绿");
    Set<String> distinctOpenings = new HashSet<>();
    for (Listing l : listings) {
      if (zh.containsKey(l.gemstone())) {
        assertThat(l.description()).contains(zh.get(l.gemstone()));
        assertThat(l.title()).contains(zh.get(l.gemstone()));
      }
      assertThat(l.titleEn().toLowerCase()).contains(l.category());
      distinctOpenings.add(l.description().substring(0, 4));
    }
    assertThat(new HashSet<>(listings.stream().map(Listing::description).toList())).hasSizeGreaterThan(250);
    assertThat(distinctOpenings.size()).isGreaterThan(10);
  }

  @Test
  void eventsFollowTheFunnelAndTheTimeWindow() {
    Path out = dir.resolve("events");
    GeneratedCatalog c = GENERATOR.generate(200, 100, 21, out, false);
    List<Interaction> events = new ArrayList<>();
    READER.readInteractions(out.resolve("interactions.jsonl"), events::add, e -> { throw new AssertionError(e); });
    assertThat(events).hasSize((int) c.events());
    Map<EventType, Integer> counts = new HashMap<>();
    Map<String, Integer> perUser = new HashMap<>();
    Set<String> carted = new HashSet<>();
    Instant previous = Instant.MIN;
    for (Interaction e : events) {
      counts.merge(e.event(), 1, Integer::sum);
      perUser.merge(e.user(), 1, Integer::sum);
      assertThat(e.ts()).isBetween(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"));
      assertThat(e.ts()).isAfterOrEqualTo(previous);
      previous = e.ts();
      if (e.event() == EventType.CART) {
        carted.add(e.user() + "/" + e.item());
      }
      if (e.event() == EventType.PURCHASE) {
        assertThat(carted).contains(e.user() + "/" + e.item());
      }
    }
    assertThat(counts.get(EventType.VIEW)).isGreaterThan(counts.get(EventType.CLICK));
    assertThat(counts.get(EventType.CLICK)).isGreaterThan(counts.get(EventType.CART));
    assertThat(counts.get(EventType.CART)).isGreaterThan(counts.getOrDefault(EventType.PURCHASE, 0));
    assertThat(counts.getOrDefault(EventType.PURCHASE, 0)).isGreaterThan(0);
    assertThat(perUser).hasSize(100);
    long coldUsers = perUser.values().stream().filter(n -> n <= 2).count();
    assertThat(coldUsers).isGreaterThanOrEqualTo(c.coldUsers()).isEqualTo(5);
    Set<String> touched = new HashSet<>(events.stream().map(Interaction::item).toList());
    assertThat(200 - touched.size()).isGreaterThanOrEqualTo(c.coldItems());
    assertThat(c.coldItems()).isEqualTo(10);
  }

  @Test
  void eventsAreDrivenByTheHiddenTaste() throws IOException {
    Path out = dir.resolve("taste");
    GENERATOR.generate(300, 60, 13, out, false);
    Map<String, Listing> byId = new HashMap<>();
    READER.readListings(out.resolve("listings.jsonl"), l -> byId.put(l.id(), l), e -> { throw new AssertionError(e); });
    Map<String, JsonNode> truth = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("ground-truth.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      truth.put(n.get("user").asText(), n);
    }
    Map<String, int[]> share = new HashMap<>(); // user -> {events on the favourite gemstone, events}
    Map<String, Integer> gemstoneEvents = new HashMap<>();
    int purchases = 0;
    int purchasesInTop50 = 0;
    List<Interaction> events = new ArrayList<>();
    READER.readInteractions(out.resolve("interactions.jsonl"), events::add, e -> { throw new AssertionError(e); });
    for (Interaction e : events) {
      JsonNode t = truth.get(e.user());
      String fav = argmax(t.get("taste").get("gemstone"));
      String gem = byId.get(e.item()).gemstone();
      gemstoneEvents.merge(gem, 1, Integer::sum);
      int[] s = share.computeIfAbsent(e.user(), k -> new int[2]);
      s[0] += gem.equals(fav) ? 1 : 0;
      s[1]++;
      if (e.event() == EventType.PURCHASE) {
        purchases++;
        List<String> top = new ArrayList<>();
        t.get("ranking").forEach(n -> top.add(n.asText()));
        purchasesInTop50 += top.subList(0, 50).contains(e.item()) ? 1 : 0;
      }
    }
    // Lift: a user's share of events on their favourite gemstone over that gemstone's share of all
    // events. Without taste it would be about 1.
    double lift = 0;
    int users = 0;
    for (var entry : share.entrySet()) {
      int[] s = entry.getValue();
      if (s[1] >= 10) {
        String fav = argmax(truth.get(entry.getKey()).get("taste").get("gemstone"));
        double base = gemstoneEvents.getOrDefault(fav, 0) / (double) events.size();
        lift += (s[0] / (double) s[1]) / Math.max(base, 1e-9);
        users++;
      }
    }
    assertThat(users).isGreaterThan(40);
    assertThat(lift / users).isGreaterThan(2.0);
    assertThat(purchases).isGreaterThan(20);
    assertThat(purchasesInTop50 / (double) purchases).isGreaterThan(0.7);
  }

  private static String argmax(JsonNode prefs) {
    String best = null;
    double max = Double.NEGATIVE_INFINITY;
    for (var it = prefs.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().asDouble() > max) {
        max = e.getValue().asDouble();
        best = e.getKey();
      }
    }
    return best;
  }

  @Test
  void profilesCorrelateWithTaste() throws IOException {
    Path out = dir.resolve("profiles");
    GENERATOR.generate(50, 1500, 31, out, false);
    Map<String, String> favStyle = new HashMap<>();
    Map<String, Long> centre = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("ground-truth.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      favStyle.put(n.get("user").asText(), argmax(n.get("taste").get("style")));
      centre.put(n.get("user").asText(), n.get("taste").get("price").get("center_cny").asLong());
    }
    int[] young = new int[2]; // {cute fans aged 18-24, cute fans}
    int[] youngOthers = new int[2];
    double richTier = 0;
    double poorTier = 0;
    int rich = 0;
    int poor = 0;
    for (String line : Files.readAllLines(out.resolve("users.jsonl"))) {
      JsonNode u = JSON.readTree(line);
      String id = u.get("user").asText();
      int[] bucket = favStyle.get(id).equals("cute") ? young : youngOthers;
      bucket[0] += u.get("age_band").asText().equals("18-24") ? 1 : 0;
      bucket[1]++;
      if (centre.get(id) > 3000) {
        richTier += u.get("city_tier").asInt();
        rich++;
      } else if (centre.get(id) < 800) {
        poorTier += u.get("city_tier").asInt();
        poor++;
      }
    }
    assertThat(young[0] / (double) young[1]).isGreaterThan(1.5 * youngOthers[0] / youngOthers[1]);
    assertThat(richTier / rich).isLessThan(poorTier / poor - 0.5);
  }

  @Test
  void groundTruthRanksByUtility() throws IOException {
    List<String> lines = Files.readAllLines(small.resolve("ground-truth.jsonl"));
    assertThat(lines).hasSize(20);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("user").asText()).isEqualTo("u-0001");
    assertThat(first.get("ranking")).hasSize(40); // fewer items than the 300 cap
    Set<String> ids = new HashSet<>();
    first.get("ranking").forEach(n -> ids.add(n.asText()));
    assertThat(ids).hasSize(40);
    assertThat(first.get("taste").get("category").size()).isEqualTo(5);
    assertThat(first.get("taste").get("gemstone").has("none")).isTrue();
    assertThat(first.get("taste").get("price").get("center_cny").asLong()).isPositive();
  }

  @Test
  void renderPhotoIsDeterministicPerVariantAndDiffersAcrossVariants() {
    Listing ring = listing("R-00001", "ring", "18k_gold", "diamond", "classic");
    BufferedImage a = GENERATOR.renderPhoto(ring, 1);
    BufferedImage b = GENERATOR.renderPhoto(ring, 1);
    BufferedImage c = GENERATOR.renderPhoto(ring, 2);
    assertThat(a.getWidth()).isEqualTo(SampleCatalogGenerator.PHOTO_SIZE);
    assertThat(pixels(a)).isEqualTo(pixels(b));
    assertThat(pixels(a)).isNotEqualTo(pixels(c));
  }

  /**
   * Training views (what {@code facet train-encoder} re-renders) must never be the shots the
   * re-shoot benchmark and the engine tests query with, or their hit rate would not be held out.
   */
  @Test
  void trainingVariantsAreDisjointFromEvaluationVariants() {
    java.util.Set<Long> training = new java.util.HashSet<>();
    String[] prefixes = {"R", "N", "E", "B", "P", "m", "X"};
    for (String prefix : prefixes) {
      for (int n = 0; n < 2000; n++) {
        String id = String.format("%s-%05d", prefix, n);
        for (int view = 0; view < 8; view++) {
          long t = SampleCatalogGenerator.trainingVariant(id, view);
          assertThat(SampleCatalogGenerator.isTrainingVariant(t)).isTrue();
          assertThat(training.add(t & 0xFFFF_FFFF_FFFFL)).as("distinct training shot %s/%d", id, view).isTrue();
        }
        // bench reshoot (default and other small --variant-seed values), FacetEndToEndTest, the web
        // fixture and demo seeds, the trainer's own check view, and the catalog photo itself.
        for (long variantSeed : new long[] {991, 1, 7, 12345, -3}) {
          assertThat(SampleCatalogGenerator.isTrainingVariant(SampleCatalogGenerator.benchVariant(variantSeed, id))).isFalse();
        }
        assertThat(SampleCatalogGenerator.isTrainingVariant(987654321L + id.hashCode())).isFalse();
        assertThat(SampleCatalogGenerator.isTrainingVariant(SampleCatalogGenerator.checkVariant(id))).isFalse();
      }
    }
    for (long small = -100_000; small <= 100_000; small++) {
      assertThat(SampleCatalogGenerator.isTrainingVariant(small)).isFalse();
    }
    // Random keeps 48 bits: a seed that differs from a training one only above them is the same shot.
    long t = SampleCatalogGenerator.trainingVariant("R-00001", 0);
    assertThat(SampleCatalogGenerator.isTrainingVariant(t | 0x7FFFL << 48)).isTrue();
    Listing ring = listing("R-00001", "ring", "18k_gold", "diamond", "classic");
    assertThat(pixels(GENERATOR.renderPhoto(ring, t | 0x1234L << 48))).isEqualTo(pixels(GENERATOR.renderPhoto(ring, t)));
  }

  @Test
  void metalColourShowsInThePhoto() {
    // Averaged over many shots (random backgrounds), gold is warmer than silver and jade greener than ruby.
    double gold = 0;
    double silver = 0;
    double jade = 0;
    double ruby = 0;
    for (long v = 0; v < 12; v++) {
      gold += warmth(GENERATOR.renderPhoto(listing("B-00001", "bracelet", "24k_gold", "none", "classic"), v));
      silver += warmth(GENERATOR.renderPhoto(listing("B-00001", "bracelet", "925_silver", "none", "classic"), v));
      jade += greenness(GENERATOR.renderPhoto(listing("P-00002", "pendant", "platinum", "jade", "classic"), v));
      ruby += greenness(GENERATOR.renderPhoto(listing("P-00002", "pendant", "platinum", "ruby", "classic"), v));
    }
    assertThat(gold).isGreaterThan(silver + 12 * 5);
    assertThat(jade).isGreaterThan(ruby + 12 * 1);
  }

  /**
   * The renderer's contract: the material and the style show in the photo. Pearl strands once drew
   * no metal and ignored the style, so 62 sample necklaces differed only in how deep they hung.
   */
  @Test
  void materialAndStyleChangeEveryProductsPhoto() {
    String[] categories = {"ring", "necklace", "earrings", "bracelet", "pendant"};
    String[] gems = {"pearl", "diamond", "jade", "none"};
    String[] styles = {"minimal", "vintage", "luxury", "cute", "classic", "chinese"};
    for (String category : categories) {
      for (String gem : gems) {
        String id = category.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + "-00042";
        int[] gold = pixels(GENERATOR.renderPhoto(listing(id, category, "18k_gold", gem, "classic"), 5));
        int[] silver = pixels(GENERATOR.renderPhoto(listing(id, category, "925_silver", gem, "classic"), 5));
        assertThat(gold).as("%s with %s: gold and silver", category, gem).isNotEqualTo(silver);
      }
    }
    java.util.Set<java.util.List<Integer>> strands = new java.util.HashSet<>();
    for (String style : styles) {
      int[] px = pixels(GENERATOR.renderPhoto(listing("N-00042", "necklace", "platinum", "pearl", style), 5));
      assertThat(strands.add(java.util.Arrays.stream(px).boxed().toList())).as("pearl strand, style %s", style).isTrue();
    }
  }

  @Test
  void writesAContactSheet() throws IOException {
    Path png = dir.resolve("sheet.png");
    GENERATOR.writeContactSheet(small, 24, png);
    BufferedImage sheet = ImageIO.read(png.toFile());
    assertThat(sheet.getWidth()).isEqualTo(6 * SampleCatalogGenerator.PHOTO_SIZE);
    assertThat(sheet.getHeight()).isEqualTo(4 * (SampleCatalogGenerator.PHOTO_SIZE + 34));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> GENERATOR.generate(0, 5, 1, dir)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GENERATOR.generate(5, 0, 1, dir)).isInstanceOf(IllegalArgumentException.class);
  }

  static Listing listing(String id, String category, String material, String gemstone, String style) {
    return new Listing(id, "t", null, null, category, material, gemstone, null, style, 100, "CNY", "m-01",
        List.of("images/" + id + ".jpg"), true, Map.of());
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  /** Mean R-B over the centre, where the object is. */
  private static double warmth(BufferedImage img) {
    return meanOverCentre(img, rgb -> ((rgb >> 16) & 0xFF) - (rgb & 0xFF));
  }

  private static double greenness(BufferedImage img) {
    return meanOverCentre(img, rgb -> ((rgb >> 8) & 0xFF) - ((rgb >> 16) & 0xFF));
  }

  private static double meanOverCentre(BufferedImage img, java.util.function.IntUnaryOperator f) {
    int s = img.getWidth();
    long sum = 0;
    int n = 0;
    for (int y = s / 4; y < 3 * s / 4; y++) {
      for (int x = s / 4; x < 3 * s / 4; x++) {
        sum += f.applyAsInt(img.getRGB(x, y));
        n++;
      }
    }
    return sum / (double) n;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

}
