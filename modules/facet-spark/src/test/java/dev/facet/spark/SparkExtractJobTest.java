package dev.facet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.CoreModule;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.core.Listing;
import dev.facet.embed.EmbedModule;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.ListingEmbedding;
import dev.facet.embed.TextEncoder;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import dev.facet.index.IndexedListing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark local[2] on a generated catalog with Facet's real encoders (bge-small-zh text, a small traced
 * ResNet image model from facet-embed's test fixtures, because the catalog-trained default may not be
 * trained on a fresh clone).
 */
class SparkExtractJobTest {
  static Path root = projectRoot();

  /** The checkout root: the nearest ancestor holding models/ and modules/ (Maven's project dir varies with -pl/-f). */
  static Path projectRoot() {
    Path p = Path.of(System.getProperty("facet.project.root", ".")).toAbsolutePath().normalize();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("models")) && Files.isDirectory(q.resolve("modules"))) {
        return q;
      }
    }
    return p;
  }
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.create("local[2]", "facet-spark-test");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  static FacetConfig config(Path work) {
    return new FacetConfig(work, root.resolve("models"), null, 1, Device.CPU, 42L);
  }

  static EmbedSettings embed() {
    return EmbedSettings.defaults().withBatchSize(8)
        .withImageModelFile(root.resolve("modules/facet-embed/src/test/resources/torchscript/tiny-resnet.pt"));
  }

  @Test
  void parquetVectorsEqualTheSingleProcessPipelineAndReRunsSkipUnchangedListings(@TempDir Path tmp) throws Exception {
    Path catalog = tmp.resolve("catalog");
    new SampleCatalogGenerator().generate(30, 10, 7L, catalog);
    Path work = tmp.resolve("work");
    Path out = tmp.resolve("out");
    ExtractSettings settings = ExtractSettings.of(config(work), embed(), 1);
    SparkExtractJob job = new SparkExtractJob(spark, settings);

    SparkExtractJob.Report first = job.run(catalog, out, 2);
    assertThat(first.listingsRead()).isEqualTo(30);
    assertThat(first.embedded()).isEqualTo(30);
    assertThat(first.unchanged()).isZero();
    assertThat(first.written()).isEqualTo(30);
    try (var files = Files.walk(out.resolve(SparkExtractJob.VECTORS))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isGreaterThanOrEqualTo(1);
    }
    Map<String, IndexedListing> spark1 = read(out);
    assertThat(spark1).hasSize(30);

    // The single-process pipeline, built from the same Guice modules the local ingest uses.
    Injector injector = Guice.createInjector(new CoreModule(config(work)), new EmbedModule(embed()));
    Map<String, ListingEmbedding> local = new HashMap<>();
    List<Listing> listings = new ArrayList<>();
    try {
      new CatalogReader(new dev.facet.catalog.image.ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), listings::add, e -> {});
      injector.getInstance(EmbeddingPipeline.class).run(listings, l -> CatalogReader.resolveImage(catalog, l.primaryImage()),
          e -> local.put(e.id(), e), e -> {}, n -> {});
    } finally {
      injector.getInstance(ImageEncoder.class).close();
      injector.getInstance(TextEncoder.class).close();
    }
    assertThat(local).hasSize(30);
    for (ListingEmbedding e : local.values()) {
      IndexedListing s = spark1.get(e.id());
      assertThat(s).as(e.id()).isNotNull();
      assertThat(cosine(s.image(), e.image())).as("image " + e.id()).isGreaterThanOrEqualTo(0.9999);
      assertThat(cosine(s.text(), e.text())).as("text " + e.id()).isGreaterThanOrEqualTo(0.9999);
      Listing original = listings.stream().filter(l -> l.id().equals(e.id())).findFirst().orElseThrow();
      assertThat(s.listing()).isEqualTo(original);
    }

    // Change three titles and drop one listing; the re-run embeds only the three.
    Path file = catalog.resolve("listings.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> changedIds = new ArrayList<>();
    List<String> edited = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == lines.size() - 1) {
        continue; // removed from the catalog
      }
      if (i < 3) {
        line = line.replaceFirst("\"title\":\"", "\"title\":\"新款 ");
        changedIds.add(listings.get(i).id());
      }
      edited.add(line);
    }
    Files.write(file, edited, StandardCharsets.UTF_8);

    SparkExtractJob.Report second = job.run(catalog, out, 2);
    assertThat(second.listingsRead()).isEqualTo(29);
    assertThat(second.embedded()).isEqualTo(3);
    assertThat(second.unchanged()).isEqualTo(26);
    assertThat(second.written()).isEqualTo(29);
    Map<String, IndexedListing> spark2 = read(out);
    assertThat(spark2).hasSize(29).doesNotContainKey(listings.get(29).id());
    for (IndexedListing l : spark2.values()) {
      IndexedListing before = spark1.get(l.id());
      if (changedIds.contains(l.id())) {
        assertThat(l.listing().title()).startsWith("新款 ");
        assertThat(l.contentHash()).isNotEqualTo(before.contentHash());
        // Same photo; floats may differ in the last bits because the batch around it differs.
        assertThat(cosine(l.image(), before.image())).isGreaterThanOrEqualTo(0.9999);
        assertThat(cosine(l.text(), before.text())).isLessThan(0.9999);
      } else {
        assertThat(l).isEqualTo(before); // reused bit for bit
      }
    }

    // Nothing changed: nothing embedded.
    SparkExtractJob.Report third = job.run(catalog, out, 2);
    assertThat(third.embedded()).isZero();
    assertThat(third.unchanged()).isEqualTo(29);

    // Facet's local index takes the Parquet without embedding again.
    try (CatalogIndex index = CatalogIndex.open(tmp.resolve("index"), IndexSettings.defaults(spark2.values().iterator().next().image().length, 512, 64))) {
      assertThat(ParquetVectors.loadInto(spark, out, index)).isEqualTo(29);
      assertThat(index.size()).isEqualTo(29);
      String id = changedIds.get(0);
      assertThat(index.get(id)).hasValue(spark2.get(id));
      assertThat(index.knn(dev.facet.index.VectorField.IMAGE, spark2.get(id).image(), 1, dev.facet.core.Filter.NONE).get(0).id())
          .isEqualTo(id);
    }
  }

  @Test
  void missingImagesAreRejectedBesideTheOutput(@TempDir Path tmp) throws Exception {
    Path catalog = tmp.resolve("catalog");
    new SampleCatalogGenerator().generate(12, 3, 11L, catalog);
    List<String> lines = Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8);
    List<Listing> all = new ArrayList<>();
    new CatalogReader(new dev.facet.catalog.image.ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), all::add, e -> {});
    Listing first = all.get(0);
    Files.delete(CatalogReader.resolveImage(catalog, first.primaryImage()));
    lines.add("{\"id\":\"bad\",\"title\":\"\"}");
    Files.write(catalog.resolve("listings.jsonl"), lines, StandardCharsets.UTF_8);
    Path out = tmp.resolve("out");
    SparkExtractJob.Report r = new SparkExtractJob(spark, ExtractSettings.of(config(tmp.resolve("work")), embed(), 1)).run(catalog, out, 2);
    assertThat(r.written()).isEqualTo(11);
    assertThat(r.rejected()).isEqualTo(2);
    String rejects = Files.readString(out.resolve(SparkExtractJob.REJECTS));
    assertThat(rejects).contains(first.id()).contains("image missing").contains("bad");
  }

  static Map<String, IndexedListing> read(Path out) {
    Map<String, IndexedListing> m = new HashMap<>();
    ParquetVectors.forEach(spark, out, l -> m.put(l.id(), l));
    return m;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
