package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Device;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionHeadTest {
  @TempDir
  Path dir;

  @Test
  void initialHeadWithoutProjectionsRanksAsTheFixedFusion() {
    FusedImageEncoderTest.Probe big = new FusedImageEncoderTest.Probe(12);
    FusedImageEncoderTest.Probe small = new FusedImageEncoderTest.Probe(4);
    List<FusedImageEncoder.Part> parts = List.of(new FusedImageEncoder.Part("big", big, 0.7), new FusedImageEncoder.Part("small", small, 0.3));
    FusionHead initial = FusionHead.initial(new int[] {4, 4}, new int[] {4, 4}, new double[] {0.7, 0.3}, new long[] {1, 2});
    try (FusedImageEncoder fixed = new FusedImageEncoder("fixed", parts, 12);
        FusedImageEncoder headed = new FusedImageEncoder("headed", parts, 12, initial)) {
      List<float[]> images = images(3, 12, 5L);
      float[][] a = fixed.encode(images);
      float[][] b = headed.encode(images);
      for (int i = 0; i < a.length; i++) {
        assertThat(b[i]).containsExactly(a[i], Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void savedHeadLoadsBackAndGivesUnitVectors() throws Exception {
    FusionHead head = FusionHead.initial(new int[] {6, 5}, new int[] {3, 2}, new double[] {0.8, 0.2}, new long[] {1, 2});
    Path file = dir.resolve("h.head");
    head.save(file);
    FusionHead back = FusionHead.load(file);
    assertThat(back.weights()).containsExactly(head.weights());
    float[][] v = back.apply(List.of(new float[][] {{1, 0, 0, 0, 0, 0}}, new float[][] {{0, 0, 1, 0, 0}}));
    assertThat(v[0]).hasSize(5);
    assertThat(Vectors.dot(v[0], v[0])).isCloseTo(1.0, Offset.offset(1e-5));
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    assertThatThrownBy(() -> FusionHead.load(file)).isInstanceOf(FacetException.class).hasMessageContaining("FHD1");
  }

  @Test
  void committedTrainedHeadLoadsWithItsChecksumAndGivesUnit512Vectors() throws Exception {
    ModelDescriptor d = ModelDescriptorReader.find(TestModels.modelsDir(), FusedImageEncoder.TRAINED_ID);
    assertThat(d.sha256()).isEqualTo(ModelFiles.sha256(d.weightsPath()));
    try (ImageEncoder encoder = ImageEncoders.open(d, Device.CPU)) {
      FusedImageEncoder fused = (FusedImageEncoder) encoder;
      assertThat(fused.head()).isNotNull();
      assertThat(encoder.dimension()).isEqualTo(512);
      float[][] v = encoder.encode(images(2, encoder.inputSize(), 9L));
      assertThat(List.of(v)).allSatisfy(x -> assertThat(Vectors.dot(x, x)).isCloseTo(1.0, Offset.offset(1e-4)));
    }
  }

  @Test
  void aCorruptHeadIsRefusedByItsChecksum() throws Exception {
    Path models = modelsWithTheCommittedPartsAndAHead();
    Files.writeString(models.resolve("t.json"), """
        {"id": "t", "kind": "image", "engine": "PyTorch", "format": "fused", "source": "test",
         "weights": "t/t.head", "sha256": "%s",
         "parts": [{"id": "image-inception-nsfwjs", "weight": 0.8}, {"id": "image-resnet-catalog", "weight": 0.2}],
         "input": {"size": 240, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
         "output": {"dim": 512, "normalization": "l2"}}
        """.formatted("0".repeat(64)));
    ModelDescriptor d = ModelDescriptorReader.find(models, "t");
    assertThatThrownBy(() -> ImageEncoders.open(d, Device.CPU)).isInstanceOf(FacetException.class).hasMessageContaining("sha256");
  }

  @Test
  void aHeadOverPartWeightsThatChangedSinceIsRefusedNamingThePart() throws Exception {
    Path models = modelsWithTheCommittedPartsAndAHead();
    Path head = models.resolve("t/t.head");
    String resnetSha = ModelDescriptorReader.find(models, ResNetImageEncoder.DEFAULT_ID).sha256();
    String template = """
        {"id": "t", "kind": "image", "engine": "PyTorch", "format": "fused", "source": "test",
         "weights": "t/t.head", "sha256": "%s",
         "parts": [{"id": "image-inception-nsfwjs", "weight": 0.8},
                   {"id": "image-resnet-catalog", "weight": 0.2, "trainedOverSha256": "%s"}],
         "input": {"size": 240, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
         "output": {"dim": 512, "normalization": "l2"}}
        """;
    Files.writeString(models.resolve("t.json"), template.formatted(ModelFiles.sha256(head), resnetSha));
    try (ImageEncoder same = ImageEncoders.open(ModelDescriptorReader.find(models, "t"), Device.CPU)) {
      assertThat(same.dimension()).isEqualTo(512);
    }
    Files.writeString(models.resolve("t.json"), template.formatted(ModelFiles.sha256(head), "ab".repeat(32)));
    ModelDescriptor retrained = ModelDescriptorReader.find(models, "t");
    assertThatThrownBy(() -> ImageEncoders.open(retrained, Device.CPU)).isInstanceOf(FacetException.class)
        .hasMessageContaining("'image-resnet-catalog'").hasMessageContaining("ab".repeat(32)).hasMessageContaining(resnetSha)
        .hasMessageContaining("--fusion-head");
  }

  @Test
  void theTrainedDescriptorRecordsThePartWeightsItsHeadWasTrainedOver() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"id": "image-fused", "format": "fused", "parts": [{"id": "a", "weight": 0.8, "dim": 4}, {"id": "b", "weight": 0.2}],
         "output": {"dim": 6}}
        """);
    FusionHead head = FusionHead.initial(new int[] {6, 5}, new int[] {4, 2}, new double[] {0.8, 0.2}, new long[] {1, 2});
    var options = new FusionHeadTraining.Options("image-fused", "h", null, 0, List.of(1f), 1, 1L, 0.1, 1, Device.CPU, null);
    var d = FusionHeadTraining.descriptor(json, options, head, 1f, "c".repeat(64), java.util.Arrays.asList("d".repeat(64), null));
    assertThat(d.path("parts").get(0).path(FusedImageEncoder.PART_CHECKSUM).asText()).isEqualTo("d".repeat(64));
    assertThat(d.path("parts").get(0).path("initDim").asInt()).isEqualTo(4);
    assertThat(d.path("parts").get(1).has(FusedImageEncoder.PART_CHECKSUM)).isFalse();
  }

  /** A models directory with descriptors of the committed trunk and catalog ResNet and a head {@code t/t.head} over them. */
  private Path modelsWithTheCommittedPartsAndAHead() throws java.io.IOException {
    Path models = dir.resolve("models");
    Files.createDirectories(models.resolve("t"));
    for (String id : List.of("image-inception-nsfwjs", ResNetImageEncoder.DEFAULT_ID)) {
      ModelDescriptor part = ModelDescriptorReader.find(TestModels.modelsDir(), id);
      String json = Files.readString(part.location()).replace("\"weights\": \"", "\"weights\": \"" + TestModels.modelsDir().toAbsolutePath() + "/");
      Files.writeString(models.resolve(id + ".json"), json);
    }
    FusionHead.initial(new int[] {768, 512}, new int[] {384, 128}, new double[] {0.8, 0.2}, new long[] {1, 2}).save(models.resolve("t/t.head"));
    return models;
  }

  @Test
  void trainingIsSeededDeterministicAndLearnsWhatTellsListingsApart() {
    FusionHeadTrainer.Data data = syntheticData(96, 4, 7L);
    FusionHead initial = FusionHead.initial(new int[] {16, 8}, new int[] {8, 4}, new double[] {0.8, 0.2}, new long[] {1, 2});
    FusionHeadTrainer.Settings settings = new FusionHeadTrainer.Settings(40, 3L, 16, 1e-2f, 0.001f, 1f);
    FusionHeadTrainer.Trained a = FusionHeadTrainer.train(initial, data, settings, Device.CPU);
    FusionHeadTrainer.Trained b = FusionHeadTrainer.train(initial, data, settings, Device.CPU);
    assertThat(a.head().weights()).containsExactly(b.head().weights());
    assertThat(a.epochLoss().getLast()).isLessThan(a.epochLoss().getFirst());
    FusionHeadValidation before = FusionHeadValidation.measure(initial, data, 2, null);
    FusionHeadValidation after = FusionHeadValidation.measure(a.head(), data, 2, a.textMap());
    assertThat(after.renderedTop1()).isGreaterThan(before.renderedTop1());
    assertThat(after.imageToText()).isGreaterThan(0.3);
    // A strong anchor keeps the head at the fixed fusion.
    FusionHeadTrainer.Trained held = FusionHeadTrainer.train(initial, data, settings.withAnchor(1000f), Device.CPU);
    float[] w0 = initial.weights();
    float[] w = held.head().weights();
    double drift = 0;
    for (int i = 0; i < w.length; i++) {
      drift = Math.max(drift, Math.abs(w[i] - w0[i]));
    }
    assertThat(drift).isLessThan(0.01);
  }

  /**
   * Listings whose identity lives in the second part's features only (the first part is the same
   * noise distribution for all), so the fixed fusion, which weights the first part 0.8, tells them
   * apart worse than a trained head can.
   */
  private static FusionHeadTrainer.Data syntheticData(int n, int views, long seed) {
    Random r = new Random(seed);
    float[][][] f = new float[n][views][];
    float[][] text = new float[n][];
    List<Listing> listings = new ArrayList<>();
    float[] textMap = gaussian(r, 6 * 8, 1); // texts describe what tells listings apart
    for (int l = 0; l < n; l++) {
      float[] identity = gaussian(r, 8, 1);
      for (int v = 0; v < views; v++) {
        float[] first = Vectors.l2Normalize(gaussian(r, 16, 1));
        float[] second = gaussian(r, 8, 0.3);
        for (int i = 0; i < 8; i++) {
          second[i] += identity[i];
        }
        second = Vectors.l2Normalize(second);
        f[l][v] = new float[24];
        System.arraycopy(first, 0, f[l][v], 0, 16);
        System.arraycopy(second, 0, f[l][v], 16, 8);
      }
      float[] t = new float[6];
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 8; j++) {
          t[i] += textMap[i * 8 + j] * identity[j];
        }
      }
      text[l] = Vectors.l2Normalize(t);
      listings.add(new Listing("L" + l, "t" + l, null, "", l % 2 == 0 ? "ring" : "necklace", l % 3 == 0 ? "gold" : "silver",
          null, null, null, 10, "EUR", "m", List.of("p.jpg"), true, Map.of()));
    }
    return FusionHeadTrainer.Data.of(FusionFeatures.of(f), listings, text, 0.25, seed);
  }

  private static float[] gaussian(Random r, int n, double std) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * std);
    }
    return x;
  }

  private static List<float[]> images(int n, int side, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[3 * side * side];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) r.nextGaussian();
      }
      out.add(x);
    }
    return Collections.unmodifiableList(out);
  }
}
