package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Visual retrieval sanity of the committed default image encoder on the committed sample catalog. */
class CatalogSamplesRetrievalTest {
  // Floors a little under what the committed model measures (see models/image-resnet-catalog.json),
  // so a regression in decoding, the encoder or its weights shows while noise-free reruns pass.
  private static final double FLOOR_CATEGORY = 0.85;
  private static final double FLOOR_MATERIAL = 0.62;
  private static final double FLOOR_RESHOOT_TOP5 = 0.85;

  @Test
  void nearestImagesShareCategoryAndMaterial() {
    Path catalog = TestModels.catalogSamples();
    String reason = catalog == null ? "catalog-samples/listings.jsonl not present" : null;
    if (reason == null && !Files.isRegularFile(TestModels.modelsDir().resolve(ResNetImageEncoder.DEFAULT_ID + ".json"))) {
      reason = "models/" + ResNetImageEncoder.DEFAULT_ID + ".json not present (run ./facet train-encoder --catalog catalog-samples)";
    }
    if (reason != null) {
      System.out.println("CatalogSamplesRetrievalTest skipped: " + reason);
    }
    assumeTrue(reason == null, reason);

    List<Listing> listings = new ArrayList<>();
    new CatalogReader(new ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), false, listings::add, e -> { });
    Map<String, float[]> vectors = new HashMap<>();
    try (ResNetImageEncoder encoder = ResNetImageEncoder.open(TestModels.modelsDir(), Device.CPU)) {
      new EmbeddingPipeline(encoder, null, EmbeddingPipeline.Settings.defaults(2))
          .run(listings, EmbeddingPipeline.imagesUnder(catalog), e -> vectors.put(e.id(), e.image()), e -> { }, n -> { });
    }
    List<Listing> embedded = listings.stream().filter(l -> vectors.containsKey(l.id())).toList();
    assertThat(embedded.size()).isGreaterThan(listings.size() * 9 / 10);
    List<float[]> catalogVectors = embedded.stream().map(l -> vectors.get(l.id())).toList();
    NeighbourAgreement agreement = NeighbourAgreement.measure(embedded, catalogVectors, 10);
    System.out.printf("catalog-samples image kNN@10 agreement: category %.3f, material %.3f over %d listings%n",
        agreement.category(), agreement.material(), agreement.items());
    assertThat(agreement.category()).isGreaterThanOrEqualTo(FLOOR_CATEGORY);
    assertThat(agreement.material()).isGreaterThanOrEqualTo(FLOOR_MATERIAL);

    // Re-shoot: every listing photographed again (the end-to-end test's seeds, outside the training
    // band) must find its own catalog photo among its 5 nearest, by exact search.
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    int hits = 0;
    try (ResNetImageEncoder encoder = ResNetImageEncoder.open(TestModels.modelsDir(), Device.CPU)) {
      ImagePipeline decoder = new ImagePipeline(encoder.inputSize());
      for (int from = 0; from < embedded.size(); from += 32) {
        List<Listing> part = embedded.subList(from, Math.min(embedded.size(), from + 32));
        List<float[]> chw = new ArrayList<>();
        for (Listing l : part) {
          long shot = 987654321L + l.id().hashCode();
          assertThat(SampleCatalogGenerator.isTrainingVariant(shot)).isFalse();
          chw.add(decoder.decodeChw(SampleCatalogGenerator.jpeg(generator.renderPhoto(l, shot)), l.id() + "-reshoot.jpg"));
        }
        float[][] queries = encoder.encode(chw);
        for (int q = 0; q < part.size(); q++) {
          hits += rankOf(queries[q], from + q, catalogVectors) < 5 ? 1 : 0;
        }
      }
    }
    double hitRate = hits / (double) embedded.size();
    System.out.printf("catalog-samples re-shoot top-5 hit rate (exact search): %.3f%n", hitRate);
    assertThat(hitRate).isGreaterThanOrEqualTo(FLOOR_RESHOOT_TOP5);
  }

  /** How many catalog vectors score above {@code own}'s for {@code query}. */
  private static int rankOf(float[] query, int own, List<float[]> catalog) {
    double score = Vectors.dot(query, catalog.get(own));
    int better = 0;
    for (int j = 0; j < catalog.size(); j++) {
      if (j != own && Vectors.dot(query, catalog.get(j)) > score) {
        better++;
      }
    }
    return better;
  }
}
