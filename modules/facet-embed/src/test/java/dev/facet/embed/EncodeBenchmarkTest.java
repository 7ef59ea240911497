package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.Listing;
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
    List<Listing> listings = SyntheticCatalog.write(dir, 4, 22L);
    ImagePipeline decoder = new ImagePipeline(224);
    List<float[]> chw = new ArrayList<>();
    for (Listing l : listings) {
      chw.add(decoder.loadChw(dir.resolve(l.primaryImage())));
    }
    List<String> texts = listings.stream().map(Listing::searchableText).toList();
    List<EncodeBenchmark.RssSample> samples = EncodeBenchmark.memoryRun(image, text, chw, texts, 1600, 16, 10);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    // RSS wobbles by ~100 MB as the Java heap and the allocator arenas of the engines' threads grow
    // and shrink, so compare the peaks of the two halves of the run (after warm-up) rather than two
    // single readings. Leaking one 16-image input tensor (9.6 MB) per batch would raise the second
    // half's peak by ~200 MB.
    int mid = samples.size() / 2;
    long firstPeak = samples.subList(2, mid + 1).stream().mapToLong(EncodeBenchmark.RssSample::rssKb).max().orElseThrow();
    long secondPeak = samples.subList(mid + 1, samples.size()).stream().mapToLong(EncodeBenchmark.RssSample::rssKb).max().orElseThrow();
    assertThat(secondPeak - firstPeak).as("RSS peak growth in kB, samples %s", samples).isLessThan(64 * 1024);
  }
}
