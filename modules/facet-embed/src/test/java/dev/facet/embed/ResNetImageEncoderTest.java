package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResNetImageEncoderTest {
  private static List<float[]> randomImages(int n, long seed) {
    return randomImages(n, seed, 224);
  }

  private static List<float[]> randomImages(int n, long seed, int size) {
    Random random = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[3 * size * size];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) random.nextGaussian();
      }
      out.add(x);
    }
    return out;
  }

  @Test
  void savedParametersReloadToTheSameNetwork(@TempDir Path dir) throws Exception {
    List<float[]> images = randomImages(3, 5L);
    float[][] expected;
    Path weights = Files.createDirectories(dir.resolve("net")).resolve("net.params");
    try (Model model = Model.newInstance("original", ai.djl.Device.cpu(), "PyTorch")) {
      Block block = CatalogResNet.encoder(224, 56, 24);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 224, 224));
      model.setBlock(block);
      try (Predictor<List<float[]>, float[][]> p = model.newPredictor(new ImageBatchTranslator(224))) {
        expected = p.predict(images);
      }
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(weights))) {
        block.saveParameters(out);
      }
    }
    Path descriptor = dir.resolve("net.json");
    Files.writeString(descriptor, """
        {"id": "net", "kind": "image", "engine": "PyTorch", "format": "djl-params", "architecture": "djl-resnetv1-18",
         "source": "trained", "weights": "net/net.params", "sha256": "%s",
         "input": {"size": 224, "internalSize": 56}, "output": {"dim": 24}, "obtain": "./facet train-encoder --catalog catalog-samples"}
        """.formatted(ModelFiles.sha256(weights)));
    try (ImageEncoder encoder = ImageEncoders.open(ModelDescriptorReader.read(descriptor), Device.AUTO)) {
      assertThat(encoder).isInstanceOf(ResNetImageEncoder.class);
      assertThat(encoder.dimension()).isEqualTo(24);
      float[][] got = encoder.encode(images);
      for (int i = 0; i < images.size(); i++) {
        assertThat(Vectors.dot(got[i], got[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        for (int d = 0; d < 24; d++) {
          assertThat(got[i][d]).isCloseTo(expected[i][d], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
    // One flipped byte in the weights: refused with the file named and the way to rebuild it.
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 1;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> ResNetImageEncoder.open(ModelDescriptorReader.read(descriptor), Device.CPU))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining("net.params")
        .hasMessageContaining("./facet train-encoder --catalog catalog-samples");
  }

  @Test
  void trainerWritesLoadableModelUnderItsIdAndLearns(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 60, 3L);
    // Listing 5's image is garbage: training skips and reports it.
    Files.write(dir.resolve(listings.get(5).primaryImage()), new byte[] {1, 2, 3, 4});
    Path models = Files.createDirectories(dir.resolve("models"));
    List<String> log = new ArrayList<>();
    ImageEncoderTrainer.TrainReport report;
    try (BertTextEncoder text = BertTextEncoder.open(TestModels.modelsDir(), TestModels.cacheDir())) {
      ImageEncoderTrainer.Settings settings = new ImageEncoderTrainer.Settings(4, 17L, 12, 32, 3e-3f, 0.15, 2, Device.CPU);
      report = ImageEncoderTrainer.train(listings, EmbeddingPipeline.imagesUnder(dir), text, models, settings,
          new RenderedViews(1), "image-resnet-second", log::add);
    }
    assertThat(report.rejected()).isEqualTo(1);
    assertThat(report.rejects().get(0).recordId()).isEqualTo("T-00005");
    assertThat(report.trainImages() + report.validationImages()).isEqualTo(59);
    assertThat(report.epochLoss()).hasSize(4);
    assertThat(report.epochLoss().get(3)).isLessThan(report.epochLoss().get(0));
    assertThat(report.validationAccuracy()).containsKeys("category", "material", "gemstone");
    assertThat(log).anyMatch(l -> l.startsWith("epoch 4/4"));
    assertThat(log).anyMatch(l -> l.startsWith("prepared 1 extra views per listing"));
    assertThat(report.checkTop5()).isBetween(0.0, 1.0);
    assertThat(report.agreement().items()).isEqualTo(59);

    // Written under the id asked for, beside (not over) the default network.
    assertThat(models.resolve(ResNetImageEncoder.DEFAULT_ID + ".json")).doesNotExist();
    ModelDescriptor d = ModelDescriptorReader.find(models, "image-resnet-second");
    assertThat(d.weights()).isEqualTo("image-resnet-second/image-resnet-second.params");
    assertThat(d.obtain()).contains("--input-size 32").contains("--resnet-id image-resnet-second");
    assertThat(d.sha256()).isEqualTo(report.sha256()).isEqualTo(ModelFiles.sha256(report.weights()));
    assertThat(d.outputDim()).isEqualTo(512);
    // The network runs at the training size and the descriptor says so: the pipeline decodes
    // straight to 32 pixels, no 224 detour.
    assertThat(d.input().size()).isEqualTo(32);
    assertThat(d.input().internalSize()).isEqualTo(32);
    try (ResNetImageEncoder encoder = ResNetImageEncoder.open(d, Device.CPU)) {
      assertThat(encoder.inputSize()).isEqualTo(32);
      float[][] v = encoder.encode(randomImages(2, 9L, 32));
      assertThat(v[0]).hasSize(512);
      assertThat(encoder.encode(randomImages(2, 9L, 32))[1]).containsExactly(v[1]);
      assertThatThrownBy(() -> encoder.encode(randomImages(1, 9L, 224))).isInstanceOf(IllegalArgumentException.class);
      // The extraction pipeline decodes files at the descriptor's size, not at 224.
      List<ListingEmbedding> out = new ArrayList<>();
      new EmbeddingPipeline(encoder, null, new EmbeddingPipeline.Settings(1, 4, 4))
          .run(listings.subList(0, 3), EmbeddingPipeline.imagesUnder(dir), out::add, e -> { }, n -> { });
      float[] direct = encoder.encode(List.of(new ImagePipeline(32).loadChw(dir.resolve(listings.get(0).primaryImage()))))[0];
      assertThat(out).hasSize(3);
      assertThat(Vectors.dot(out.get(0).image(), direct)).isGreaterThan(0.9999);
    }
  }
}
