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
import org.junit.jupiter.api.Test;

/**
 * The committed fusion head against the fixed fusion it was trained from, on the first listings of
 * catalog-samples re-rendered with bench reshoot's seed (held out from training): both share the
 * parts' vectors, so the trunk runs once per photo. A head whose weights were mangled (transposed,
 * wrong part order, stale file) falls far below the fixed fusion.
 */
class FusionHeadRetrievalTest {
  private static final int LISTINGS = 60;
  private static final long BENCH_SEED = 991;

  @Test
  void trainedHeadFindsReRendersAtLeastAsWellAsTheFixedFusion() {
    Path catalog = TestModels.catalogSamples();
    assumeTrue(catalog != null, "catalog-samples/listings.jsonl not present");
    List<Listing> all = new ArrayList<>();
    new CatalogReader(new ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), false, all::add, e -> { });
    List<Listing> listings = all.stream().sorted(Comparator.comparing(Listing::id)).limit(LISTINGS).toList();
    List<String> names = listings.stream().map(Listing::id).toList();
    List<byte[]> originals = CatalogReshootEncoders.primaryImages(listings, EmbeddingPipeline.imagesUnder(catalog));
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    List<byte[]> shots = listings.stream()
        .map(l -> SampleCatalogGenerator.jpeg(generator.renderPhoto(l, BENCH_SEED * 1_000_003L + l.id().hashCode()))).toList();
    EncodedImages cache = new EncodedImages();
    ReshootRetrieval.Result fixed;
    ReshootRetrieval.Result trained;
    try (ImageEncoder f = ImageEncoders.open(ModelDescriptorReader.find(TestModels.modelsDir(), FusedImageEncoder.FIXED_ID), Device.CPU);
        ImageEncoder t = ImageEncoders.open(ModelDescriptorReader.find(TestModels.modelsDir(), FusedImageEncoder.TRAINED_ID), Device.CPU)) {
      fixed = ReshootRetrieval.measure(FusedImageEncoder.FIXED_ID, f, originals, shots, names, 5, cache);
      trained = ReshootRetrieval.measure(FusedImageEncoder.TRAINED_ID, t, originals, shots, names, 5, cache);
    }
    System.out.printf("first %d listings of catalog-samples, re-render top-1/top-5: fixed fusion %.3f/%.3f, trained head %.3f/%.3f%n",
        LISTINGS, fixed.top1(), fixed.topK(), trained.top1(), trained.topK());
    assertThat(trained.topK()).isGreaterThanOrEqualTo(fixed.topK());
    assertThat(trained.top1()).isGreaterThanOrEqualTo(fixed.top1());
  }
}
