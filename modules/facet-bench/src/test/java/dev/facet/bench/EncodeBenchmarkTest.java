package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import dev.facet.embed.BertTextEncoder;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.SyntheticCatalog;
import dev.facet.embed.TestModels;
import dev.facet.embed.TorchScriptImageEncoder;
import dev.facet.embed.TorchScriptImageEncoderTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeBenchmarkTest {
  private static TorchScriptImageEncoder image;
  private static BertTextEncoder text;

  @BeforeAll
  static void open() throws Exception {
    image = TorchScriptImageEncoder.open(TorchScriptImageEncoderTest.fixture("tiny-resnet.pt"), 224, Device.CPU);
    text = BertTextEncoder.open(TestModels.modelsDir(), TestModels.cacheDir());
  }

  @AfterAll
  static void close() {
    image.close();
    text.close();
  }

  @Test
  void reportsBothEncodersInTheAgreedJsonShape(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 12, 21L);
    List<Long> progress = new ArrayList<>();
    EncodeBenchmark.Result result = EncodeBenchmark.run(listings, EmbeddingPipeline.imagesUnder(dir), image, text, 20, 8, 1, progress::add);
    // 20 items per round round down to two whole batches of 8.
    assertThat(result.items()).isEqualTo(16);
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.fieldNames()).toIterable().containsExactly("image", "text");
    for (String encoder : List.of("image", "text")) {
      assertThat(json.get(encoder).fieldNames()).toIterable().containsExactly("raw_per_s", "pipeline_per_s", "ratio");
      assertThat(json.get(encoder).get("raw_per_s").asDouble()).isPositive();
      assertThat(json.get(encoder).get("pipeline_per_s").asDouble()).isPositive();
    }
    assertThat(json.get("image").get("ratio").asDouble())
        .isCloseTo(result.image().pipelinePerSecond() / result.image().rawPerSecond(), org.assertj.core.data.Offset.offset(0.001));
    assertThat(progress).isSorted().last().isEqualTo(2L * 16 * (EncodeBenchmark.IMAGE_ROUNDS + EncodeBenchmark.TEXT_ROUNDS))
        .isEqualTo(EncodeBenchmark.progressTotal(20, 8));
  }

  @Test
  void nativeMemoryStaysFlatOverRepeatedEncodes(@TempDir Path dir) throws Exception {
    MemoryInputs in = MemoryInputs.write(dir);
    List<EncodeBenchmark.RssSample> samples = EncodeBenchmark.memoryRun(image, text, in.chw(), in.texts(), 1600, 16, 10);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    assertThat(settledGrowthKb(samples)).as("settled RSS growth in kB, samples %s", samples).isLessThan(LEAK_LIMIT_KB);
  }

  @Test
  void theMemoryCheckCatchesAnEncoderThatLeaksOneInputTensorPerBatch(@TempDir Path dir) throws Exception {
    MemoryInputs in = MemoryInputs.write(dir);
    try (NDManager leaked = NDManager.newBaseManager("PyTorch")) {
      ImageEncoder leaking = new ImageEncoder() {
        @Override
        public int dimension() {
          return image.dimension();
        }

        @Override
        public int inputSize() {
          return image.inputSize();
        }

        @Override
        public float[][] encode(List<float[]> chwImages) {
          // The mistake this guards against: a batch's input tensor created outside the batch scope.
          leaked.ones(new Shape(chwImages.size(), 3, image.inputSize(), image.inputSize()));
          return image.encode(chwImages);
        }

        @Override
        public void close() {}
      };
      List<EncodeBenchmark.RssSample> samples = EncodeBenchmark.memoryRun(leaking, text, in.chw(), in.texts(), 1600, 16, 10);
      assertThat(settledGrowthKb(samples)).as("settled RSS growth in kB, samples %s", samples).isGreaterThan(LEAK_LIMIT_KB);
    }
  }

  /**
   * 16 leaked 224x224 input images a batch are 9.6 MB, about 190 MB between the two halves' lows of a
   * 1600-item run (measured 83-124 MB over a 960-item run); clean runs moved the lows by -8 to +13 MB.
   */
  private static final long LEAK_LIMIT_KB = 64 * 1024;

  /**
   * Growth of the settled RSS from the first half of the run (after two warm-up samples) to the
   * second. The lowest reading of each half is compared: allocator arenas and the Java heap still
   * wobble by tens of MB after a GC, which moves the highs, while a leak raises every reading.
   */
  private static long settledGrowthKb(List<EncodeBenchmark.RssSample> samples) {
    System.out.println("settled RSS samples " + samples);
    int mid = samples.size() / 2;
    long firstLow = samples.subList(2, mid + 1).stream().mapToLong(EncodeBenchmark.RssSample::rssKb).min().orElseThrow();
    long secondLow = samples.subList(mid + 1, samples.size()).stream().mapToLong(EncodeBenchmark.RssSample::rssKb).min().orElseThrow();
    return secondLow - firstLow;
  }

  private record MemoryInputs(List<float[]> chw, List<String> texts) {
    static MemoryInputs write(Path dir) throws Exception {
      List<Listing> listings = SyntheticCatalog.write(dir, 4, 22L);
      ImagePipeline decoder = new ImagePipeline(224);
      List<float[]> chw = new ArrayList<>();
      for (Listing l : listings) {
        chw.add(decoder.loadChw(dir.resolve(l.primaryImage())));
      }
      return new MemoryInputs(chw, listings.stream().map(Listing::searchableText).toList());
    }
  }
}
