package dev.facet.catalog;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import dev.facet.core.UserProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads and validates catalog files: listings, interactions and user profiles (formats in
 * DESIGN.md). Every file is streamed line by line, so memory does not grow with the file, apart from
 * the set of ids used to refuse duplicate listings and users. Files may be gzip-compressed
 * ({@code .gz}).
 *
 * <p>Each record is either accepted (handed to the caller as a core record) or rejected with a
 * {@link RecordError} naming file, 1-based line, record id when readable, field and reason. One bad
 * record never stops a file; only an unreadable file or a CSV header lacking required columns does
 * (the latter is reported as one reject on line 1).
 *
 * <p>Thread-safe: calls share no mutable state.
 */
public final class CatalogReader {
  private static final List<String> LISTING_NAMES = List.of("listings.jsonl", "listings.ndjson", "listings.jsonl.gz", "listings.csv", "listings.csv.gz");
  private static final List<String> INTERACTION_NAMES = List.of("interactions.jsonl", "interactions.ndjson", "interactions.jsonl.gz",
      "interactions.csv", "interactions.csv.gz", "UserBehavior.csv", "UserBehavior.csv.gz", "user_behavior.csv", "user_behavior.csv.gz");
  private static final List<String> USER_NAMES = List.of("users.jsonl", "users.ndjson", "users.jsonl.gz", "users.csv", "users.csv.gz");

  private final ImagePipeline images;
  private final int imageThreads;
  private final ObjectMapper mapper;

  /**
   * A reader checking images (when asked) on up to 4 threads, fewer on smaller machines.
   *
   * @param images decodes listing images when image checks are requested
   */
  @Inject
  public CatalogReader(ImagePipeline images) {
    this(images, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * @param images decodes listing images when image checks are requested
   * @param imageThreads threads decoding images during a checked read, at least 1
   */
  public CatalogReader(ImagePipeline images, int imageThreads) {
    if (imageThreads < 1) {
      throw new IllegalArgumentException("imageThreads must be >= 1, got " + imageThreads);
    }
    this.imageThreads = imageThreads;
    this.images = Objects.requireNonNull(images, "images");
    this.mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /**
   * Finds the catalog files in {@code catalogDir}: {@code listings.jsonl|csv}, {@code
   * interactions.jsonl|csv} or the Taobao {@code UserBehavior.csv}, {@code users.jsonl|csv} (each
   * optionally {@code .gz}).
   *
   * @throws FacetException when the directory does not exist, holds none of them, or holds two
   *     candidates for the same kind (which one wins would be a guess)
   */
  public CatalogFiles locate(Path catalogDir) {
    if (!Files.isDirectory(catalogDir)) {
      throw new FacetException("catalog directory " + catalogDir + " does not exist or is not a directory");
    }
    Path listings = pick(catalogDir, LISTING_NAMES);
    Path interactions = pick(catalogDir, INTERACTION_NAMES);
    Path users = pick(catalogDir, USER_NAMES);
    if (listings == null && interactions == null && users == null) {
      throw new FacetException("no catalog files in " + catalogDir + " (expected listings.jsonl|csv, "
          + "interactions.jsonl|csv or UserBehavior.csv, users.jsonl)");
    }
    return new CatalogFiles(catalogDir, listings, interactions, users);
  }

  private static Path pick(Path dir, List<String> names) {
    List<Path> found = new ArrayList<>();
    for (String name : names) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        found.add(p);
      }
    }
    if (found.size() > 1) {
      throw new FacetException("ambiguous catalog in " + dir + ": both " + found.get(0).getFileName() + " and "
          + found.get(1).getFileName() + " exist; keep one");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Resolves an image path of a listing against the catalog directory, confined to it: see {@link
   * CatalogImagePaths#resolve}. No network location and no absolute path is ever accepted.
   *
   * @throws dev.facet.catalog.image.ImageRejectedException when the path is refused
   */
  public static Path resolveImage(Path catalogDir, String imagePath) {
    return CatalogImagePaths.resolve(catalogDir, imagePath);
  }

  /** Reads listings without decoding their images. See {@link #readListings(Path, ImageCheck, Consumer, Consumer)}. */
  public ReadReport readListings(Path file, Consumer<Listing> accepted, Consumer<RecordError> rejected) {
    return readListings(file, ImageCheck.NONE, accepted, rejected);
  }

  /** {@link ImageCheck#DECODE} when {@code checkImages}, else {@link ImageCheck#NONE}. */
  public ReadReport readListings(Path file, boolean checkImages, Consumer<Listing> accepted, Consumer<RecordError> rejected) {
    return readListings(file, checkImages ? ImageCheck.DECODE : ImageCheck.NONE, accepted, rejected);
  }

  /**
   * Reads a listings file ({@code .jsonl} or {@code .csv}). A later record with an id already used
   * in this file is rejected (the first one wins). Consumers are called on the calling thread, in
   * file order.
   *
   * @param images how far every image of a listing is checked before the listing is accepted; any
   *     check beyond {@link ImageCheck#NONE} is spread over the reader's image threads
   */
  public ReadReport readListings(Path file, ImageCheck images, Consumer<Listing> accepted, Consumer<RecordError> rejected) {
    Set<String> seen = new HashSet<>();
    RecordParser<Listing> parser = r -> {
      Listing listing = ListingParser.parse(r);
      if (!seen.add(listing.id())) {
        // The first record with an id claims it, whether or not its images turn out to be usable.
        throw new FieldException("id", "duplicate id within the file");
      }
      return listing;
    };
    if (images == ImageCheck.NONE) {
      return read(file, Kind.LISTINGS, parser, (listing, line) -> accepted.accept(listing), rejected);
    }
    try (ImageCheckWindow window = new ImageCheckWindow(this.images, images, file, imageThreads, accepted, rejected)) {
      ReadReport parsed = read(file, Kind.LISTINGS, parser, window::listing, window::reject);
      window.finish();
      return new ReadReport(file, parsed.format(), window.accepted(), window.rejected(), parsed.elapsed());
    }
  }

  /** Reads interactions: Facet JSONL or CSV ({@code user,item,event,ts}) or the Taobao User Behavior CSV. */
  public ReadReport readInteractions(Path file, Consumer<Interaction> accepted, Consumer<RecordError> rejected) {
    return read(file, Kind.INTERACTIONS, InteractionParser::parse, (interaction, line) -> accepted.accept(interaction), rejected);
  }

  /** Reads user profiles ({@code user,age_band,gender,city_tier}); a repeated user id is rejected. */
  public ReadReport readUsers(Path file, Consumer<UserProfile> accepted, Consumer<RecordError> rejected) {
    Set<String> seen = new HashSet<>();
    RecordParser<UserProfile> parser = r -> {
      UserProfile user = UserParser.parse(r);
      if (!seen.add(user.user())) {
        throw new FieldException("user", "duplicate id within the file");
      }
      return user;
    };
    return read(file, Kind.USERS, parser, (user, line) -> accepted.accept(user), rejected);
  }

  /**
   * Validates every file of a catalog directory, writing rejects to {@code rejectsFile}.
   *
   * @param checkImages decode every listing image too
   * @param rejectsFile where to write {@code rejects.jsonl}; null to write none
   */
  public ValidationReport validate(Path catalogDir, boolean checkImages, Path rejectsFile) {
    long start = System.nanoTime();
    CatalogFiles files = locate(catalogDir);
    Map<String, Long> byReason = new HashMap<>();
    RejectLogWriter log = rejectsFile == null ? null : RejectLogWriter.open(rejectsFile);
    Consumer<RecordError> rejected = e -> {
      byReason.merge(ValidationReport.reasonKey(e), 1L, Long::sum);
      if (log != null) {
        log.accept(e);
      }
    };
    try {
      Set<String> itemIds = new HashSet<>();
      ReadReport listings = files.listings() == null ? null
          : readListings(files.listings(), checkImages, l -> itemIds.add(l.id()), rejected);
      long[] unknownItems = new long[1];
      ReadReport interactions = files.interactions() == null ? null
          : readInteractions(files.interactions(), i -> {
              if (listings != null && !itemIds.contains(i.item())) {
                unknownItems[0]++;
              }
            }, rejected);
      ReadReport users = files.users() == null ? null : readUsers(files.users(), u -> { }, rejected);
      return new ValidationReport(files, listings, interactions, users, byReason, unknownItems[0], checkImages,
          rejectsFile, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      if (log != null) {
        try {
          log.close();
        } catch (IOException e) {
          throw new FacetException("cannot finish " + rejectsFile + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private enum Kind {
    LISTINGS(ListingParser.REQUIRED),
    INTERACTIONS(List.of("user", "item", "event", "ts")),
    USERS(List.of("user"));

    final List<String> csvRequired;

    Kind(List<String> csvRequired) {
      this.csvRequired = csvRequired;
    }

    String idOf(RecordFields r) {
      return switch (this) {
        case LISTINGS -> ListingParser.idOf(r);
        case INTERACTIONS -> InteractionParser.idOf(r);
        case USERS -> UserParser.idOf(r);
      };
    }
  }

  @FunctionalInterface
  private interface RecordParser<T> {
    T parse(RecordFields record) throws FieldException;
  }

  @FunctionalInterface
  private interface RecordSink<T> {
    void accept(T record, long line);
  }

  /**
   * The read loop shared by every record kind. Only parsing is guarded: an exception thrown by the
   * caller's consumer is the caller's and propagates, it is never turned into a reject.
   */
  private <T> ReadReport read(Path file, Kind kind, RecordParser<T> parser, RecordSink<T> accepted, Consumer<RecordError> rejected) {
    long start = System.nanoTime();
    String name = file.toString();
    long ok = 0;
    long bad = 0;
    String format = format(file, kind);
    try (RecordSource source = open(file, format, kind)) {
      while (source.next()) {
        FieldException error = source.error();
        String id = null;
        if (error != null && source.fields() != null) {
          id = kind.idOf(source.fields());
          // A best-effort reading: an id holding a replacement character is not the record's id.
          id = id == null || id.indexOf('\uFFFD') >= 0 ? null : id;
        }
        if (error == null) {
          RecordFields fields = source.fields();
          id = kind.idOf(fields);
          T record = null;
          try {
            record = parser.parse(fields);
          } catch (FieldException e) {
            error = e;
          } catch (IllegalArgumentException e) {
            // The core records' own invariants: parsers check first, but never crash a batch on one record.
            error = new FieldException(null, "invalid record: " + e.getMessage());
          }
          if (error == null) {
            ok++;
            accepted.accept(record, source.line());
            continue;
          }
        }
        bad++;
        rejected.accept(new RecordError(name, source.line(), id, error.field(), error.reason()));
      }
    } catch (IOException e) {
      throw new FacetException("cannot read " + file + " (" + (ok + bad) + " records read): " + e.getMessage(), e);
    }
    return new ReadReport(file, format, ok, bad, Duration.ofNanos(System.nanoTime() - start));
  }

  private static String format(Path file, Kind kind) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
      return "jsonl";
    }
    if (lower.endsWith(".csv")) {
      if (kind == Kind.INTERACTIONS && isTaobao(file)) {
        return "taobao-csv";
      }
      return "csv";
    }
    throw new FacetException("unsupported file type " + file + " (expected .jsonl or .csv, optionally .gz)");
  }

  private static boolean isTaobao(Path file) {
    try (Utf8LineReader lines = new Utf8LineReader(input(file))) {
      while (lines.next()) {
        if (lines.text() != null && !lines.text().isBlank()) {
          return TaobaoRecordSource.looksLikeTaobao(lines.text());
        }
      }
      return false;
    } catch (IOException e) {
      throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private RecordSource open(Path file, String format, Kind kind) throws IOException {
    Utf8LineReader lines = new Utf8LineReader(input(file));
    return switch (format) {
      case "jsonl" -> new JsonlRecordSource(lines, mapper);
      case "taobao-csv" -> new TaobaoRecordSource(lines);
      default -> new CsvRecordSource(lines, kind.csvRequired);
    };
  }

  private static InputStream input(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
      return new GZIPInputStream(in, 64 * 1024);
    }
    return in;
  }
}
