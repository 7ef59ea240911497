package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short {@code --complement} run on the first listings of catalog-samples, in a models directory
 * holding the committed fixed fusion and its parts: the tuned ResNet must start from the committed
 * weights (one tiny step leaves its vectors close to theirs, where a freshly initialised network is
 * nowhere near), be written with its checksum, and the fused descriptor written beside it must open
 * with the tuned ResNet in place of the catalog one.
 */
class ComplementTrainingTest {
  private static final int LISTINGS = 40;

  @Test
  void tunesTheResNetFromItsCommittedWeightsAndWritesAFusedDescriptorThatUsesIt(@TempDir Path dir) throws Exception {
    Path catalog = TestModels.catalogSamples();
    assumeTrue(catalog != null, "catalog-samples/listings.jsonl not present");
    List<Listing> all = new ArrayList<>();
    new CatalogReader(new ImagePipeline(224)).readListings(catalog.resolve("listings.jsonl"), false, all::add, e -> { });
    List<Listing> listings = all.stream().sorted(Comparator.comparing(Listing::id)).limit(LISTINGS).toList();
    List<byte[]> photos = CatalogReshootEncoders.primaryImages(listings, EmbeddingPipeline.imagesUnder(catalog));
    Path models = modelsWithTheFixedFusion(dir);

    List<String> log = new ArrayList<>();
    ComplementTraining.Options options = new ComplementTraining.Options(FusedImageEncoder.FIXED_ID, ComplementTraining.RESNET_ID,
        ComplementTraining.FUSED_ID, new RenderedViews(1), 1, 1, 1e-5f, 0.05f, 1f, 5L, 2, Device.CPU, null);
    ImageEncoderTrainer.TrainReport report;
    try (BertTextEncoder text = BertTextEncoder.open(TestModels.modelsDir(), TestModels.cacheDir())) {
      report = ComplementTraining.run(listings, photos, text, models, options, log::add);
    }

    assertThat(log).anyMatch(l -> l.startsWith("started from ") && l.endsWith("image-resnet-catalog.params"));
    assertThat(report.epochLoss()).hasSize(1);
    ModelDescriptor tuned = ModelDescriptorReader.find(models, ComplementTraining.RESNET_ID);
    assertThat(tuned.sha256()).isEqualTo(report.sha256()).isEqualTo(ModelFiles.sha256(report.weights()));
    ImagePipeline decoder = new ImagePipeline(80);
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inputs.add(decoder.decodeChw(photos.get(i), listings.get(i).id()));
    }
    try (ResNetImageEncoder before = ResNetImageEncoder.open(models, Device.CPU);
        ResNetImageEncoder after = ResNetImageEncoder.open(tuned, Device.CPU)) {
      float[][] a = before.encode(inputs);
      float[][] b = after.encode(inputs);
      for (int i = 0; i < a.length; i++) {
        assertThat(Vectors.dot(a[i], b[i])).as("photo %d", i).isGreaterThan(0.9);
      }
      assertThat(b[0]).isNotEqualTo(a[0]);
    }

    JsonNode fused = new ObjectMapper().readTree(models.resolve(ComplementTraining.FUSED_ID + ".json").toFile());
    JsonNode base = new ObjectMapper().readTree(models.resolve(FusedImageEncoder.FIXED_ID + ".json").toFile());
    assertThat(fused.path("parts").get(1).path("id").asText()).isEqualTo(ComplementTraining.RESNET_ID);
    assertThat(fused.path("parts").get(1).path("weight")).isEqualTo(base.path("parts").get(1).path("weight"));
    assertThat(fused.path("parts").get(0)).isEqualTo(base.path("parts").get(0));
    try (ImageEncoder encoder = ImageEncoders.open(ModelDescriptorReader.find(models, ComplementTraining.FUSED_ID), Device.CPU)) {
      assertThat(encoder.dimension()).isEqualTo(512);
    }
  }

  @Test
  void trainersRefuseAnIdThatIsAPath() {
    assertThatThrownBy(() -> new ComplementTraining.Options(FusedImageEncoder.FIXED_ID, "../resnet", ComplementTraining.FUSED_ID,
        TrainingViews.none(), 1, 1, 1e-5f, 0.05f, 1f, 5L, 1, Device.CPU, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model id '../resnet'");
    assertThatThrownBy(() -> new ComplementTraining.Options(FusedImageEncoder.FIXED_ID, ComplementTraining.RESNET_ID, "a/b",
        TrainingViews.none(), 1, 1, 1e-5f, 0.05f, 1f, 5L, 1, Device.CPU, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model id 'a/b'");
    assertThatThrownBy(() -> new FusionHeadTraining.Options(FusedImageEncoder.FIXED_ID, "/tmp/head", TrainingViews.none(), 1,
        List.of(1f), 1, 5L, 0.1, 1, Device.CPU, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model id '/tmp/head'");
    assertThatThrownBy(() -> new ImageEncoderTrainer.Output("..", null, "", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ModelFiles.requireWritableId("image-resnet-catalog-120")).isEqualTo("image-resnet-catalog-120");
  }

  /** The committed fixed fusion's descriptors, their weight directories linked rather than copied. */
  private static Path modelsWithTheFixedFusion(Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    for (String id : List.of(FusedImageEncoder.FIXED_ID, "image-inception-nsfwjs", ResNetImageEncoder.DEFAULT_ID)) {
      Files.copy(TestModels.modelsDir().resolve(id + ".json"), models.resolve(id + ".json"));
      Path weights = TestModels.modelsDir().resolve(id);
      if (Files.isDirectory(weights)) {
        Files.createSymbolicLink(models.resolve(id), weights.toAbsolutePath());
      }
    }
    return models;
  }
}
