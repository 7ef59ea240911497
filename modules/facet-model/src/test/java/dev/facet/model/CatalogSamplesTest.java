package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CatalogSamplesTest {
  @Test
  void buildsADatasetFromTheSampleCatalog() {
    Path dir = Path.of(System.getProperty("facet.project.root", "../.."), "catalog-samples");
    Assumptions.assumeTrue(Files.exists(dir.resolve("listings.jsonl")), "skipped: " + dir + " has no sample catalog");
    RecDataset ds = CatalogSamples.read(dir);
    assertThat(ds.items()).isNotEmpty();
    assertThat(ds.items().get(0).attributes()).containsKeys("category", "material", "gemstone", "style", "price_band");
    assertThat(ds.items().get(0).image()).isNull();
    assertThat(ds.oracleRankings()).isNotEmpty();
    assertThat(ds.users()).isNotEmpty();
    Schema schema = Schema.of(ds);
    assertThat(schema.attrKeys).contains("category", "material");
  }
}
