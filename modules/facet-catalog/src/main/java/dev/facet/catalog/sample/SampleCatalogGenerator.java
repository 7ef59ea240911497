package dev.facet.catalog.sample;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.sample.ShopperSimulator.Shopper;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Generates the sample jewelry catalog: listings with bilingual text and a rendered photo each,
 * simulated shoppers with hidden tastes, their events, and the ground truth that produced them.
 *
 * <p>Output (in {@code outDir}): {@code listings.jsonl}, {@code interactions.jsonl}, {@code
 * users.jsonl}, {@code ground-truth.jsonl} (per user the hidden taste and the top-{@value
 * ShopperSimulator#RANKING_SIZE} item ids by true utility), {@code images/<id>.jpg} and a {@code
 * README.md}. Everything follows from {@code (items, users, seed)}: the same arguments give the same
 * bytes in every file (on the same JDK, whose JPEG encoder and Java2D rasteriser are fixed), a
 * different seed a different catalog. Nothing reads the clock.
 *
 * <p>Thread-safe: instances hold only the photo size.
 */
public final class SampleCatalogGenerator {
  /** Side of the rendered photos; a bit larger than the encoders' 224 so the center crop has margin. */
  public static final int PHOTO_SIZE = 256;
  /** JPEG quality of the catalog photos; chosen to keep 600 photos under ~8 MB. */
  public static final float JPEG_QUALITY = 0.8f;

  private static final JsonFactory JSON = new JsonFactory();
  private final PhotoRenderer renderer;

  /** A generator rendering {@value #PHOTO_SIZE}-pixel photos. */
  public SampleCatalogGenerator() {
    this.renderer = new PhotoRenderer(PHOTO_SIZE);
  }

  /**
   * Writes a catalog of {@code items} listings and {@code users} shoppers into {@code outDir}
   * (created if needed; files of a previous run are overwritten, stale generated photos removed).
   *
   * @throws IllegalArgumentException when {@code items < 1}, {@code items > 99999} or {@code users < 1}
   * @throws FacetException when the directory cannot be written
   */
  public GeneratedCatalog generate(int items, int users, long seed, Path outDir) {
    return generate(items, users, seed, outDir, true);
  }

  /** As {@link #generate(int, int, long, Path)}; without photos when {@code photos} is false (fast tests). */
  GeneratedCatalog generate(int items, int users, long seed, Path outDir, boolean photos) {
    if (items < 1 || items > 99_999) {
      throw new IllegalArgumentException("items must be in [1, 99999], got " + items);
    }
    if (users < 1 || users > 9_999) {
      throw new IllegalArgumentException("users must be in [1, 9999], got " + users);
    }
    try {
      return write(items, users, seed, outDir, photos);
    } catch (IOException e) {
      throw new FacetException("cannot write the sample catalog to " + outDir + ": " + e.getMessage(), e);
    }
  }

  private GeneratedCatalog write(int itemCount, int userCount, long seed, Path outDir, boolean photos) throws IOException {
    // Separate streams per concern, so changing the simulation never changes the listings.
    Random listingRnd = new Random(seed * 0x5DEECE66DL + 1);
    Random shopperRnd = new Random(seed * 0x5DEECE66DL + 2);
    ListingFactory factory = new ListingFactory(listingRnd);
    List<SampleItem> items = new ArrayList<>(itemCount);
    for (int i = 0; i < itemCount; i++) {
      items.add(factory.next(i));
    }
    ShopperSimulator simulator = new ShopperSimulator(items, shopperRnd);
    List<Shopper> shoppers = simulator.simulate(userCount);

    Files.createDirectories(outDir.resolve("images"));
    writeListings(outDir.resolve("listings.jsonl"), items);
    long events = writeInteractions(outDir.resolve("interactions.jsonl"), shoppers);
    writeUsers(outDir.resolve("users.jsonl"), shoppers);
    writeGroundTruth(outDir.resolve("ground-truth.jsonl"), shoppers, simulator, items);
    if (photos) {
      writePhotos(outDir.resolve("images"), items, seed);
    }
    int coldItems = 0;
    for (int i = 0; i < items.size(); i++) {
      coldItems += simulator.isCold(i) ? 1 : 0;
    }
    int coldUsers = (int) shoppers.stream().filter(s -> s.cold).count();
    GeneratedCatalog result = new GeneratedCatalog(outDir, itemCount, userCount, events, coldItems, coldUsers);
    Files.writeString(outDir.resolve("README.md"), readme(result, seed), StandardCharsets.UTF_8);
    return result;
  }

  /** The variant seed of a listing's catalog photo; any other value re-shoots the same product. */
  public static long catalogVariant(long seed, String listingId) {
    return PhotoRenderer.stableHash(listingId) * 31 + seed;
  }

  /**
   * Bits 40-47 of a variant seed that mark it as reserved for training an image encoder on
   * re-rendered photos. The renderer seeds {@link java.util.Random} with the variant, which keeps
   * only its low 48 bits, so the band is tested on those: every seed outside it gives a shot stream
   * no training view has. The benchmarks' and tests' seeds (small numbers plus a
   * {@code String.hashCode}, between about -2^32 and 2^32) have 0x00 or 0xFF there.
   */
  private static final long TRAINING_BAND = 0xA7L;
  /** The band of {@link #checkVariant}: held out from training, used to report progress while training. */
  private static final long CHECK_BAND = 0xA8L;
  private static final long LOW_40 = (1L << 40) - 1;

  /**
   * The variant seed of training view {@code view} (0, 1, …) of a listing: always inside the
   * training band (see {@link #isTrainingVariant}), distinct per listing and view.
   */
  public static long trainingVariant(String listingId, int view) {
    if (view < 0) {
      throw new IllegalArgumentException("view must be >= 0, got " + view);
    }
    return TRAINING_BAND << 40 | (PhotoRenderer.stableHash(listingId + "#train#" + view) & LOW_40);
  }

  /**
   * A variant seed held out from training (outside the training band and unlike the benchmark
   * seeds) for a trainer's own progress report; the published benchmarks use their own seeds.
   */
  public static long checkVariant(String listingId) {
    return CHECK_BAND << 40 | (PhotoRenderer.stableHash(listingId + "#check") & LOW_40);
  }

  /**
   * The variant seed of a listing's re-render under a benchmark seed ({@code facet bench reshoot
   * --variant-seed}, the tests that measure re-render retrieval): one shot per listing and seed. For
   * small benchmark seeds it lies outside the training band; callers check {@link
   * #isTrainingVariant} for the seed they were given.
   */
  public static long benchVariant(long benchSeed, String listingId) {
    return benchSeed * 1_000_003L + listingId.hashCode();
  }

  /**
   * Whether re-rendering with {@code variantSeed} would repeat a training view's shot, i.e. its low
   * 48 bits lie in the training band. Evaluations must use seeds for which this is false.
   */
  public static boolean isTrainingVariant(long variantSeed) {
    return (variantSeed >>> 40 & 0xFF) == TRAINING_BAND;
  }

  /**
   * Renders a photo of {@code listing}: its category, material, gemstone and style decide what is
   * drawn, its id the product's proportions, and {@code variantSeed} the pose, light, background and
   * noise. Works for any listing (unknown attribute values fall back to a plain silver ring look).
   */
  public BufferedImage renderPhoto(Listing listing, long variantSeed) {
    return renderer.render(listing, variantSeed);
  }

  /** Encodes an image as JPEG at {@link #JPEG_QUALITY}. */
  public static byte[] jpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private void writePhotos(Path dir, List<SampleItem> items, long seed) throws IOException {
    Set<String> keep = new HashSet<>();
    for (SampleItem item : items) {
      Listing l = item.listing();
      String name = l.id() + ".jpg";
      keep.add(name);
      Files.write(dir.resolve(name), jpeg(renderPhoto(l, catalogVariant(seed, l.id()))));
    }
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "[RNEBP]-[0-9][0-9][0-9][0-9][0-9].jpg")) {
      for (Path p : stale) {
        if (!keep.contains(p.getFileName().toString())) {
          Files.delete(p);
        }
      }
    }
  }

  private static void jsonLines(Path file, Consumer<JsonGenerator> body) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.setRootValueSeparator(null);
      body.accept(json);
    }
  }

  private interface Writer {
    void write(JsonGenerator json) throws IOException;
  }

  private static Consumer<JsonGenerator> unchecked(Writer w) {
    return json -> {
      try {
        w.write(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static void writeListings(Path file, List<SampleItem> items) throws IOException {
    jsonLines(file, unchecked(json -> {
      for (SampleItem item : items) {
        Listing l = item.listing();
        json.writeStartObject();
        json.writeStringField("id", l.id());
        json.writeStringField("title", l.title());
        json.writeStringField("title_en", l.titleEn());
        json.writeStringField("description", l.description());
        json.writeStringField("category", l.category());
        json.writeStringField("material", l.material());
        json.writeStringField("gemstone", l.gemstone());
        json.writeStringField("color", l.color());
        json.writeStringField("style", l.style());
        json.writeNumberField("price", l.price());
        json.writeStringField("currency", l.currency());
        json.writeStringField("merchant", l.merchant());
        json.writeArrayFieldStart("images");
        for (String image : l.images()) {
          json.writeString(image);
        }
        json.writeEndArray();
        json.writeBooleanField("in_stock", l.inStock());
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }));
  }

  private static long writeInteractions(Path file, List<Shopper> shoppers) throws IOException {
    List<Interaction> all = new ArrayList<>();
    for (Shopper s : shoppers) {
      all.addAll(s.events);
    }
    all.sort(Comparator.comparing(Interaction::ts).thenComparing(Interaction::user)
        .thenComparing(Interaction::item).thenComparing(Interaction::event));
    jsonLines(file, unchecked(json -> {
      for (Interaction e : all) {
        json.writeStartObject();
        json.writeStringField("user", e.user());
        json.writeStringField("item", e.item());
        json.writeStringField("event", e.event().wireName());
        json.writeStringField("ts", e.ts().toString());
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }));
    return all.size();
  }

  private static void writeUsers(Path file, List<Shopper> shoppers) throws IOException {
    jsonLines(file, unchecked(json -> {
      for (Shopper s : shoppers) {
        json.writeStartObject();
        json.writeStringField("user", s.profile.user());
        json.writeStringField("age_band", s.profile.ageBand());
        json.writeStringField("gender", s.profile.gender());
        json.writeNumberField("city_tier", s.profile.cityTier());
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }));
  }

  private static void writeGroundTruth(Path file, List<Shopper> shoppers, ShopperSimulator sim, List<SampleItem> items) throws IOException {
    jsonLines(file, unchecked(json -> {
      for (Shopper s : shoppers) {
        json.writeStartObject();
        json.writeStringField("user", s.id);
        json.writeBooleanField("cold", s.cold);
        json.writeObjectFieldStart("taste");
        prefs(json, "category", s.category, Vocabulary.CATEGORIES.stream().map(Vocabulary.Category::code).toList());
        prefs(json, "material", s.material, Vocabulary.MATERIALS.stream().map(Vocabulary.Material::code).toList());
        prefs(json, "gemstone", s.gemstone, Vocabulary.GEMSTONES.stream().map(Vocabulary.Gemstone::code).toList());
        prefs(json, "style", s.style, Vocabulary.STYLES.stream().map(Vocabulary.Style::code).toList());
        json.writeObjectFieldStart("price");
        json.writeNumberField("center_cny", Math.round(Math.exp(s.logPriceCentre)));
        json.writeNumberField("log_width", round4(s.logPriceWidth));
        json.writeEndObject();
        json.writeEndObject();
        json.writeArrayFieldStart("ranking");
        for (int i : sim.ranking(s, ShopperSimulator.RANKING_SIZE)) {
          json.writeString(items.get(i).listing().id());
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }));
  }

  private static void prefs(JsonGenerator json, String name, double[] values, List<String> codes) throws IOException {
    json.writeObjectFieldStart(name);
    for (int i = 0; i < values.length; i++) {
      json.writeNumberField(codes.get(i), round4(values[i]));
    }
    json.writeEndObject();
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static String readme(GeneratedCatalog c, long seed) {
    return """
        # Facet sample catalog

        A synthetic jewelry catalog generated by `dev.facet.catalog.sample.SampleCatalogGenerator`
        (module `facet-catalog`). It is deterministic: the command below rewrites every file
        byte for byte (same JDK), and a different `--seed` gives a different catalog.

            ./facet generate-samples --items %d --users %d --seed %d --out catalog-samples

        ## Contents

        | file | what |
        |---|---|
        | `listings.jsonl` | %d listings (DESIGN.md listing format), ids prefixed by category: R ring, N necklace, E earrings, B bracelet, P pendant |
        | `images/<id>.jpg` | one %dx%d JPEG per listing, drawn procedurally with Java2D |
        | `interactions.jsonl` | %d events (view, click, favorite, cart, purchase), 2026-01-01 to 2026-06-30 UTC |
        | `users.jsonl` | %d user profiles (age_band, gender, city_tier) |
        | `ground-truth.jsonl` | per user: the hidden taste and the top-%d listing ids by true utility, best first |

        ## How it is generated

        - **Listings.** 12 merchants (m-01..m-12), each favouring two categories and a material tier.
          Category, material (18k_gold, rose_gold, white_gold, platinum, 925_silver, 24k_gold),
          gemstone (diamond, pearl, jade, ruby, sapphire, emerald, none) and style (minimal, vintage,
          luxury, cute, classic, chinese) are drawn with realistic correlations. Price (CNY) is a
          material base x stone x category x style factor with log-normal spread (sigma 0.35),
          rounded shop-style (3299). 90%% in stock. Titles are Chinese first plus `title_en`; the
          description is assembled from Chinese and English phrase templates with synonyms and
          optional clauses, so the text carries the attributes in varied wording.
        - **Photos.** The category decides the shape (ring band with a set stone; chain with a
          pendant, or a pearl strand with a metal clasp; a pair of earrings; a bangle; a large pendant on a bail), the
          material the metal colour and sheen, the gemstone its colour and cut, the style details
          (thin band, milgrain dots, pave halo, heart stone, red cord). The listing id fixes the
          product's proportions; the shot (rotation, scale, position, light direction, background
          gradient in the merchant's studio hue, pixel noise) is random per photo.
          `SampleCatalogGenerator.renderPhoto(listing, variantSeed)` re-shoots a listing.
        - **Shoppers.** Each user has hidden preferences per category, material, gemstone and style
          (noise plus one or two favourites) and a log-normal price band. True utility =
          taste . attributes + price fit + item popularity (hidden log-normal quality: a long tail).
          Sessions of views drawn by softmax over utility (half of them within one category),
          repeat views, then a funnel view -> click -> favorite/cart -> purchase whose
          probabilities rise with the item's utility for the user. %d cold users have only one or
          two events; %d cold listings never get any. Profiles correlate with taste (cute -> younger,
          higher budget -> lower city tier).
        - **Ground truth.** `ranking` is by true utility without noise, over all listings (cold ones
          included); evaluation drops the user's seen items and takes the top k.
        """.formatted(c.listings(), c.users(), seed, c.listings(), PHOTO_SIZE, PHOTO_SIZE, c.events(), c.users(),
        ShopperSimulator.RANKING_SIZE, c.coldUsers(), c.coldItems());
  }

  /**
   * Writes a grid of the first {@code count} listings' photos of a catalog, each labelled with id,
   * category, material, gemstone and style, for checking by eye that the pictures show what the
   * listings say.
   */
  public void writeContactSheet(Path catalogDir, int count, Path png) {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> listings = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(catalogDir.resolve("listings.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      while (listings.size() < count && (line = in.readLine()) != null) {
        if (!line.isBlank()) {
          listings.add(mapper.readTree(line));
        }
      }
      int cols = Math.min(6, Math.max(1, listings.size()));
      int rows = (listings.size() + cols - 1) / cols;
      int cell = PHOTO_SIZE;
      int label = 34;
      BufferedImage sheet = new BufferedImage(cols * cell, Math.max(1, rows) * (cell + label), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = sheet.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i < listings.size(); i++) {
        JsonNode l = listings.get(i);
        int x = (i % cols) * cell;
        int y = (i / cols) * (cell + label);
        Path image = catalogDir.resolve(l.path("images").path(0).asText());
        BufferedImage photo = Files.isRegularFile(image) ? ImageIO.read(image.toFile()) : null;
        if (photo != null) {
          g.drawImage(photo, x, y, cell, cell, null);
        }
        g.setColor(Color.BLACK);
        g.drawString(l.path("id").asText() + "  " + l.path("category").asText() + "  " + l.path("style").asText(), x + 4, y + cell + 13);
        g.drawString(l.path("material").asText() + " / " + l.path("gemstone").asText() + "  " + (long) l.path("price").asDouble(), x + 4, y + cell + 28);
      }
      g.dispose();
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ImageIO.write(sheet, "png", png.toFile());
    } catch (IOException e) {
      throw new FacetException("cannot write contact sheet " + png + ": " + e.getMessage(), e);
    }
  }
}
