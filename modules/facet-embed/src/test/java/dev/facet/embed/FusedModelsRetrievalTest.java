package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed trained fusions against the fixed fusion they were trained from, on the first
 * listings of catalog-samples re-rendered with bench reshoot's seed (held out from training). A
 * head or a tuned ResNet whose weights were mangled (transposed, wrong part order, stale file, the
 * untuned network's weights) falls to or below the fixed fusion. The three share the trunk's
 * vectors, so it runs once per photo.
 */
class FusedModelsRetrievalTest {
  private static final int LISTINGS = 60;
  private static final long BENCH_SEED = 991;

  private static List<byte[]> originals;
  private static List<byte[]> shots;
  private static List<String> names;
  private static ReshootRetrieval.Result fixed;
  /** Part vectors by part id: the trunk runs once per photo for all three fusions. */
  private static final EncodedImages CACHE = new EncodedImages();

  @BeforeAll
  static void measureTheFixedFusion() {
    Path catalog = TestModels.catalogSamples();
    if (catalog == null) {
      return;
    }
    List<Listing> all = new ArrayList<>();
    new CatalogReader(new ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), false, all::add, e -> { });
    List<Listing> listings = all.stream().sorted(Comparator.comparing(Listing::id)).limit(LISTINGS).toList();
    names = listings.stream().map(Listing::id).toList();
    originals = CatalogReshootEncoders.primaryImages(listings, EmbeddingPipeline.imagesUnder(catalog));
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    shots = listings.stream()
        .map(l -> SampleCatalogGenerator.jpeg(generator.renderPhoto(l, SampleCatalogGenerator.benchVariant(BENCH_SEED, l.id())))).toList();
    fixed = measure(FusedImageEncoder.FIXED_ID);
  }

  @Test
  void trainedHeadFindsReRendersAtLeastAsWellAsTheFixedFusion() {
    assumeTrue(fixed != null, "catalog-samples/listings.jsonl not present");
    ReshootRetrieval.Result trained = measure(FusedImageEncoder.TRAINED_ID);
    assertThat(trained.topK()).isGreaterThanOrEqualTo(fixed.topK());
    assertThat(trained.top1()).isGreaterThanOrEqualTo(fixed.top1());
  }

  @Test
  void fusionWithTheTunedResNetFindsReRendersBetterThanTheFixedFusion() {
    assumeTrue(fixed != null, "catalog-samples/listings.jsonl not present");
    ReshootRetrieval.Result tuned = measure(FusedImageEncoder.COMPLEMENT_ID);
    assertThat(tuned.topK()).isGreaterThanOrEqualTo(fixed.topK());
    assertThat(tuned.top1()).isGreaterThan(fixed.top1());
  }

  private static ReshootRetrieval.Result measure(String id) {
    try (ImageEncoder encoder = ImageEncoders.open(ModelDescriptorReader.find(TestModels.modelsDir(), id), Device.CPU)) {
      ReshootRetrieval.Result r = ReshootRetrieval.measure(id, encoder, originals, shots, names, 5, CACHE);
      System.out.printf("first %d listings of catalog-samples, re-render top-1/top-5 of %s: %.3f/%.3f%n", LISTINGS, id, r.top1(),
          r.topK());
      return r;
    }
  }
}
