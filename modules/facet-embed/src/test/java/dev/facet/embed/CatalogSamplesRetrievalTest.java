package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
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
    NeighbourAgreement agreement = NeighbourAgreement.measure(embedded, embedded.stream().map(l -> vectors.get(l.id())).toList(), 10);
    System.out.printf("catalog-samples image kNN@10 agreement: category %.3f, material %.3f over %d listings%n",
        agreement.category(), agreement.material(), agreement.items());
    assertThat(agreement.category()).isGreaterThanOrEqualTo(0.6);
    assertThat(agreement.material()).isGreaterThanOrEqualTo(0.4);
  }
}
