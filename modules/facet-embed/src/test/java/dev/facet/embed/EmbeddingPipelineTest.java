package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingPipelineTest {
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
  void corruptImageRejectsOnlyItsRecord(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 11, 7L);
    // Listing 4: a JPEG cut in half (no end-of-image marker); listing 9: its image is missing.
    Path truncated = dir.resolve(listings.get(4).primaryImage());
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Files.delete(dir.resolve(listings.get(9).primaryImage()));

    EmbeddingPipeline pipeline = new EmbeddingPipeline(image, text, new EmbeddingPipeline.Settings(2, 4, 8));
    List<ListingEmbedding> out = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();
    List<Long> progress = new CopyOnWriteArrayList<>();
    EmbeddingPipeline.Summary summary = pipeline.run(listings, EmbeddingPipeline.imagesUnder(dir), out::add, errors::add, progress::add);

    assertThat(summary.embedded()).isEqualTo(9);
    assertThat(summary.rejected()).isEqualTo(2);
    assertThat(out).extracting(ListingEmbedding::id)
        .containsExactlyElementsOf(listings.stream().map(Listing::id).filter(id -> !id.equals("T-00004") && !id.equals("T-00009")).toList());
    assertThat(errors).extracting(RecordError::recordId).containsExactly("T-00004", "T-00009");
    assertThat(errors).allSatisfy(e -> assertThat(e.field()).isEqualTo("images"));
    assertThat(errors.get(1).reason()).contains("missing");
    assertThat(progress).isSorted().last().isEqualTo(11L);

    // Pipeline vectors are the encoders' own results for the same inputs.
    ImagePipeline decoder = new ImagePipeline(224);
    Listing first = listings.get(0);
    float[] direct = image.encode(List.of(decoder.loadChw(dir.resolve(first.primaryImage()))))[0];
    float[] directText = text.encode(List.of(first.searchableText()))[0];
    assertThat(Vectors.dot(out.get(0).image(), direct)).isGreaterThan(0.9999);
    assertThat(Vectors.dot(out.get(0).text(), directText)).isGreaterThan(0.9999);
    assertThat(out.get(0).image()).hasSize(128);
    assertThat(out.get(0).text()).hasSize(512);
  }

  @Test
  void singleModalityRunsLeaveOtherVectorNull(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 5, 11L);
    EmbeddingPipeline both = new EmbeddingPipeline(image, text, new EmbeddingPipeline.Settings(1, 2, 2));
    List<ListingEmbedding> textOnly = new ArrayList<>();
    // Text-only runs never open the images, so a missing image is not an error there.
    Files.delete(dir.resolve(listings.get(2).primaryImage()));
    both.textOnly().run(listings, EmbeddingPipeline.imagesUnder(dir), textOnly::add, e -> { throw new AssertionError(e); }, n -> { });
    assertThat(textOnly).hasSize(5).allSatisfy(e -> assertThat(e.image()).isNull());
    List<ListingEmbedding> imageOnly = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();
    both.imageOnly().run(listings, EmbeddingPipeline.imagesUnder(dir), imageOnly::add, errors::add, n -> { });
    assertThat(imageOnly).hasSize(4).allSatisfy(e -> assertThat(e.text()).isNull());
    assertThat(errors).hasSize(1);
  }
}
