package dev.facet.spark;

import dev.facet.catalog.CatalogFiles;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.ReadReport;
import dev.facet.catalog.RejectLogWriter;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ListingEmbedding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Batch feature extraction on Spark: catalog → validation → content hash → Facet's encoders inside
 * {@code mapPartitions} → Parquet.
 *
 * <p>Output layout under {@code outDir}: {@code vectors.parquet/} (columns {@link #OUTPUT}),
 * {@code rejects.jsonl} (the same reject format as the local ingest). A re-run over the same
 * {@code outDir} reads the previous {@code vectors.parquet}, keeps the vectors of every listing whose
 * (id, content hash) pair is unchanged and runs the encoders only on new or changed listings.
 *
 * <p>The catalog file is parsed and validated on the driver with Facet's own {@link CatalogReader}
 * (identical rules and reject messages to {@code facet ingest}); hashing (which reads every image) and
 * embedding run on executors, so images must sit on a path every executor sees.
 */
public final class SparkExtractJob {
  /** Name of the Parquet dataset under the output directory. */
  public static final String VECTORS = "vectors.parquet";
  /** Name of the rejects log under the output directory. */
  public static final String REJECTS = "rejects.jsonl";

  static final StructType HASH_INPUT = new StructType(new StructField[] {
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("listing_json", DataTypes.StringType, false)});

  static final StructType HASHED = new StructType(new StructField[] {
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("content_hash", DataTypes.StringType, true),
      DataTypes.createStructField("listing_json", DataTypes.StringType, false),
      DataTypes.createStructField("reject", DataTypes.StringType, true)});

  /** Columns of {@code vectors.parquet}. */
  public static final StructType OUTPUT = new StructType(new StructField[] {
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("content_hash", DataTypes.StringType, false),
      DataTypes.createStructField("image_vec", DataTypes.createArrayType(DataTypes.FloatType, false), true),
      DataTypes.createStructField("text_vec", DataTypes.createArrayType(DataTypes.FloatType, false), true),
      DataTypes.createStructField("title", DataTypes.StringType, false),
      DataTypes.createStructField("category", DataTypes.StringType, false),
      DataTypes.createStructField("material", DataTypes.StringType, true),
      DataTypes.createStructField("gemstone", DataTypes.StringType, true),
      DataTypes.createStructField("color", DataTypes.StringType, true),
      DataTypes.createStructField("style", DataTypes.StringType, true),
      DataTypes.createStructField("merchant", DataTypes.StringType, true),
      DataTypes.createStructField("price", DataTypes.DoubleType, false),
      DataTypes.createStructField("currency", DataTypes.StringType, false),
      DataTypes.createStructField("in_stock", DataTypes.BooleanType, false),
      DataTypes.createStructField("primary_image", DataTypes.StringType, false),
      DataTypes.createStructField("listing_json", DataTypes.StringType, false)});

  /** {@link #OUTPUT} plus the reject reason of listings whose image the encoder could not use. */
  static final StructType EMBEDDED = OUTPUT.add("reject", DataTypes.StringType, true);

  /**
   * Outcome of one extraction.
   *
   * @param listingsRead listings accepted by validation
   * @param rejected records rejected (validation, missing image, undecodable image)
   * @param unchanged listings whose vectors were reused from the previous run
   * @param embedded listings run through the encoders in this run
   * @param written rows in the new {@code vectors.parquet}
   * @param partitions partitions the encoders ran over
   * @param modelLoadNanos model load time summed over the executor JVMs that loaded the encoders in
   *     this run (one JVM in local mode; 0 when every executor already had them)
   * @param embedNanos wall time of the embedding stage (hash + encode + write)
   * @param nanos wall time of the whole job, excluding SparkSession start-up
   * @param vectors the Parquet dataset
   * @param rejectsFile the rejects log
   */
  public record Report(long listingsRead, long rejected, long unchanged, long embedded, long written, int partitions,
      long modelLoadNanos, long embedNanos, long nanos, Path vectors, Path rejectsFile) {
    public String summary() {
      return String.format(Locale.ROOT,
          "spark-extract: %,d listings read, %,d embedded, %,d unchanged (vectors reused), %,d rejected; %,d rows in %s "
              + "(%d partitions, model load %.1f s summed over executor JVMs, embed stage %.1f s = %.2f listings/s, job %.1f s)%s",
          listingsRead, embedded, unchanged, rejected, written, vectors, partitions, modelLoadNanos / 1e9,
          embedNanos / 1e9, embedNanos == 0 ? 0 : (embedded + unchanged) * 1e9 / embedNanos, nanos / 1e9,
          rejected > 0 ? "\nrejects written to " + rejectsFile : "");
    }
  }

  private final SparkSession spark;
  private final ExtractSettings settings;

  public SparkExtractJob(SparkSession spark, ExtractSettings settings) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Extracts vectors for the catalog in {@code catalogDir} into {@code outDir}.
   *
   * @param partitions partitions to embed over, or 0 for Spark's default parallelism
   */
  public Report run(Path catalogDir, Path outDir, int partitions) {
    long start = System.nanoTime();
    CatalogReader reader = new CatalogReader(new ImagePipeline(ImagePipeline.DEFAULT_SIZE));
    CatalogFiles files = reader.locate(catalogDir);
    if (files.listings() == null) {
      throw new FacetException("no listings file (listings.jsonl or listings.csv) in " + catalogDir);
    }
    String baseDir = files.listings().toAbsolutePath().getParent().toString();
    Path vectors = outDir.resolve(VECTORS).toAbsolutePath();
    Path rejectsFile = outDir.resolve(REJECTS).toAbsolutePath();
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + outDir, e);
    }
    int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    try (RejectLogWriter rejects = RejectLogWriter.open(rejectsFile)) {
      List<Row> rows = new ArrayList<>();
      ReadReport read = reader.readListings(files.listings(), false,
          listing -> rows.add(RowFactory.create(listing.id(), ContentHash.toJson(listing))), rejects);
      String listingsFile = files.listings().toString();
      long embedStart = System.nanoTime();
      Dataset<Row> hashed = spark.createDataFrame(rows, HASH_INPUT).repartition(parts)
          .mapPartitions((MapPartitionsFunction<Row, Row>) it -> hashPartition(it, baseDir), Encoders.row(HASHED))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> good = withoutRejects(hashed, rejects, listingsFile);
      Dataset<Row> reused = null;
      Dataset<Row> toEmbed = good;
      if (hasParquet(vectors)) {
        Dataset<Row> previous = spark.read().parquet(vectors.toString()).select("id", "content_hash", "image_vec", "text_vec");
        reused = good.join(previous, scalaSeq("id", "content_hash"), "inner")
            .mapPartitions((MapPartitionsFunction<Row, Row>) SparkExtractJob::reusedPartition, Encoders.row(OUTPUT))
            .persist(StorageLevel.MEMORY_AND_DISK());
        toEmbed = good.join(previous, scalaSeq("id", "content_hash"), "left_anti");
      }
      LongAccumulator modelLoad = spark.sparkContext().longAccumulator("facet.modelLoadNanos");
      Dataset<Row> embedded = embedded(toEmbed, parts, baseDir, modelLoad);
      Dataset<Row> result = withoutRejects(embedded, rejects, listingsFile);
      long unchanged = reused == null ? 0 : reused.count();
      long written = writeAndSwap(reused == null ? result : reused.unionByName(result), outDir, vectors, parts);
      long embedNanos = System.nanoTime() - embedStart;
      hashed.unpersist();
      embedded.unpersist();
      if (reused != null) {
        reused.unpersist();
      }
      // Rows that went through the encoders and came out with vectors (encoder rejects are in `rejected`).
      return new Report(read.accepted(), rejects.count(), unchanged, written - unchanged, written, parts, modelLoad.value(),
          embedNanos, System.nanoTime() - start, vectors, rejectsFile);
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + rejectsFile, e);
    }
  }

  /** Logs the rows with a {@code reject} reason as records of the listings file; returns the others without that column. */
  private static Dataset<Row> withoutRejects(Dataset<Row> rows, RejectLogWriter rejects, String listingsFile) {
    for (Row r : rows.filter(functions.col("reject").isNotNull()).select("id", "reject").collectAsList()) {
      rejects.accept(new RecordError(listingsFile, 0, r.getString(0), "images", r.getString(1)));
    }
    return rows.filter(functions.col("reject").isNull()).drop("reject");
  }

  /** The listings through the executors' encoders, persisted and materialised once (rejects and the write read them). */
  private Dataset<Row> embedded(Dataset<Row> toEmbed, int parts, String baseDir, LongAccumulator modelLoad) {
    LongAccumulator encodedCount = spark.sparkContext().longAccumulator("facet.encoded");
    ExtractSettings s = settings;
    Dataset<Row> embedded = toEmbed.repartition(parts)
        .mapPartitions((MapPartitionsFunction<Row, Row>) it -> embedPartition(it, s, baseDir, encodedCount, modelLoad),
            Encoders.row(EMBEDDED))
        .persist(StorageLevel.MEMORY_AND_DISK());
    embedded.count();
    return embedded;
  }

  /** Writes {@code result} beside the vectors and swaps it in (Spark cannot overwrite a dataset it reads); returns the rows written. */
  private long writeAndSwap(Dataset<Row> result, Path outDir, Path vectors, int parts) throws IOException {
    Path next = outDir.resolve(VECTORS + ".next").toAbsolutePath();
    result.coalesce(Math.max(1, parts)).write().mode(SaveMode.Overwrite).parquet(next.toString());
    long written = spark.read().parquet(next.toString()).count();
    swap(next, vectors);
    return written;
  }

  private static Iterator<Row> hashPartition(Iterator<Row> rows, String baseDir) {
    Path base = Path.of(baseDir);
    return map(rows, r -> {
      String json = r.getString(1);
      Listing listing = ContentHash.fromJson(json);
      try {
        return RowFactory.create(r.getString(0), ContentHash.of(listing, base), json, null);
      } catch (java.io.IOException e) {
        return RowFactory.create(r.getString(0), null, json, e.getMessage());
      }
    });
  }

  /** (id, content_hash, listing_json, image_vec, text_vec) → an output row with the previous vectors. */
  private static Iterator<Row> reusedPartition(Iterator<Row> rows) {
    return map(rows, r -> {
      Listing listing = ContentHash.fromJson(r.getAs("listing_json"));
      return outputRow(listing, r.getAs("listing_json"), r.getAs("content_hash"), r.getAs("image_vec"), r.getAs("text_vec"), false, null);
    });
  }

  /**
   * Runs the executor's encoders over a partition, {@link ExtractSettings#chunkSize()} listings per
   * pipeline run, lazily: Spark pulls rows as it writes them, so a partition never sits in memory whole.
   */
  private static Iterator<Row> embedPartition(Iterator<Row> rows, ExtractSettings settings, String baseDir,
      LongAccumulator encoded, LongAccumulator maxLoad) {
    if (!rows.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    ExecutorEncoders.Loaded loaded = ExecutorEncoders.get(settings);
    synchronized (SparkExtractJob.class) {
      // (The loaded encoders handle native memory themselves: each encode() opens a predictor and an
      // NDManager scope and closes both before returning, so nothing native outlives a batch.)
      // Report each JVM's model load once (only the first task of a JVM adds; the accumulator sums over JVMs).
      if (!reportedLoad) {
        reportedLoad = true;
        maxLoad.add(loaded.loadNanos());
      }
    }
    return new EmbeddedRows(rows, loaded.pipeline(), settings.chunkSize(), Path.of(baseDir), encoded);
  }

  /** Output rows of a partition, one pipeline run of {@code chunkSize} listings at a time, pulled as Spark writes. */
  private static final class EmbeddedRows implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final EmbeddingPipeline pipeline;
    private final int chunkSize;
    private final Path base;
    private final LongAccumulator encoded;
    private final List<Row> ready = new ArrayList<>();
    private int next;

    EmbeddedRows(Iterator<Row> rows, EmbeddingPipeline pipeline, int chunkSize, Path base, LongAccumulator encoded) {
      this.rows = rows;
      this.pipeline = pipeline;
      this.chunkSize = chunkSize;
      this.base = base;
      this.encoded = encoded;
    }

    @Override
    public boolean hasNext() {
      while (next == ready.size() && rows.hasNext()) {
        fill();
      }
      return next < ready.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    private void fill() {
      ready.clear();
      next = 0;
      List<Listing> chunk = new ArrayList<>(chunkSize);
      Map<String, String[]> meta = new HashMap<>(); // id -> {content_hash, listing_json}
      while (chunk.size() < chunkSize && rows.hasNext()) {
        Row r = rows.next();
        String json = r.getAs("listing_json");
        Listing listing = ContentHash.fromJson(json);
        chunk.add(listing);
        meta.put(listing.id(), new String[] {r.getAs("content_hash"), json});
      }
      Map<String, Listing> byId = new HashMap<>();
      for (Listing l : chunk) {
        byId.put(l.id(), l);
      }
      pipeline.run(chunk, l -> CatalogReader.resolveImage(base, l.primaryImage()), (ListingEmbedding e) -> {
        String[] m = meta.get(e.id());
        ready.add(outputRow(byId.get(e.id()), m[1], m[0], e.image(), e.text(), true, null));
      }, (RecordError err) -> {
        String[] m = meta.get(err.recordId());
        ready.add(outputRow(byId.get(err.recordId()), m[1], m[0], null, null, true, err.reason()));
      }, done -> {});
      encoded.add(chunk.size());
    }
  }

  private static volatile boolean reportedLoad;

  private static Row outputRow(Listing l, String json, String hash, Object image, Object text, boolean withReject,
      String reject) {
    Object img = image instanceof float[] f ? box(f) : image;
    Object txt = text instanceof float[] f ? box(f) : text;
    Object[] values = {l.id(), hash, img, txt, l.title(), l.category(), l.material(), l.gemstone(), l.color(), l.style(),
        l.merchant(), l.price(), l.currency(), l.inStock(), l.primaryImage(), json};
    if (withReject) {
      Object[] more = java.util.Arrays.copyOf(values, values.length + 1);
      more[values.length] = reject;
      values = more;
    }
    return RowFactory.create(values);
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private interface RowFn {
    Row apply(Row r);
  }

  private static Iterator<Row> map(Iterator<Row> in, RowFn fn) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public Row next() {
        return fn.apply(in.next());
      }
    };
  }

  private boolean hasParquet(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void swap(Path next, Path vectors) {
    try {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(vectors.toUri());
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(next.toUri());
      FileSystem fs = target.getFileSystem(conf);
      fs.delete(target, true);
      if (!fs.rename(source, target)) {
        throw new FacetException("could not move " + next + " to " + vectors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("replacing " + vectors, e);
    }
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // spark-submit entry point

  /**
   * {@code spark-submit --class dev.facet.spark.SparkExtractJob facet-spark.jar --catalog DIR --out DIR
   * [--master URL] [--models DIR] [--work DIR] [--image-model FILE] [--partitions N] [--batch N] [--device CPU]}.
   * Without {@code --master} the master comes from spark-submit.
   */
  public static void main(String[] args) {
    Map<String, String> opts = parseArgs(args);
    Path catalog = Path.of(require(opts, "--catalog"));
    Path out = Path.of(require(opts, "--out"));
    Path home = Path.of(System.getProperty("facet.home", ".")).toAbsolutePath().normalize();
    FacetConfig defaults = FacetConfig.defaults(home);
    FacetConfig config = new FacetConfig(Path.of(opts.getOrDefault("--work", defaults.workDir().toString())),
        Path.of(opts.getOrDefault("--models", defaults.modelsDir().toString())), catalog, defaults.threads(),
        Device.valueOf(opts.getOrDefault("--device", "AUTO").toUpperCase(Locale.ROOT)), 42L);
    EmbedSettings embed = EmbedSettings.defaults().withBatchSize(Integer.parseInt(opts.getOrDefault("--batch", "32")));
    if (opts.containsKey("--image-model")) {
      embed = embed.withImageModelFile(Path.of(opts.get("--image-model")));
    }
    int workers = Integer.parseInt(opts.getOrDefault("--decode-workers", "1"));
    ExtractSettings settings = ExtractSettings.of(config, embed, workers);
    SparkSession spark = SparkSessions.create(opts.get("--master"), "facet-spark-extract");
    Report report;
    try {
      report = new SparkExtractJob(spark, settings).run(catalog, out, Integer.parseInt(opts.getOrDefault("--partitions", "0")));
    } finally {
      spark.stop();
    }
    System.out.println(report.summary());
    // Exit explicitly: libtorch/OnnxRuntime and Spark leave non-daemon threads behind.
    System.exit(report.written() == 0 ? 2 : 0);
  }

  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        opts.put(a.substring(0, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        opts.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + a);
      }
    }
    return opts;
  }

  private static String require(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v;
  }
}
