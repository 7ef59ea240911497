package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trainer's target matrices, augmentation and settings, without a training run. */
class ImageEncoderTrainerTest {
  @Test
  void instanceTargetsPairEachPhotoWithTheOtherPhotoOfItsListing() {
    int n = 3;
    float[] t = ImageEncoderTrainer.instanceTargets(n);
    int n2 = 2 * n;
    for (int i = 0; i < n2; i++) {
      float sum = 0;
      for (int j = 0; j < n2; j++) {
        sum += t[i * n2 + j];
      }
      assertThat(sum).isEqualTo(1f);
      assertThat(t[i * n2 + i]).isZero();
      assertThat(t[i * n2 + (i + n) % n2]).isEqualTo(1f);
    }
  }

  @Test
  void relatedTargetsWeighMaterialAboveCategoryAndTreatTwoPhotosOfOneListingAsSharingEverything() {
    Map<String, int[]> labels = new LinkedHashMap<>();
    // listing:            0  1  2
    labels.put("category", new int[] {0, 0, 1});
    labels.put("material", new int[] {0, 1, 0});
    labels.put("color", new int[] {0, 0, 0});
    // Photos: listing 0, 1, 2, then listing 0 again (its second photo).
    List<Integer> batch = List.of(0, 1, 2, 0);
    float[] t = ImageEncoderTrainer.relatedTargets(labels, batch);
    int n = batch.size();
    // Row of photo 0: photo 1 shares category (1), photo 2 material (1.5), photo 3 both (2.5).
    assertThat(t[0]).isZero();
    assertThat(t[1]).isCloseTo(1f / 5f, within(1e-6f));
    assertThat(t[2]).isCloseTo(1.5f / 5f, within(1e-6f));
    assertThat(t[3]).isCloseTo(2.5f / 5f, within(1e-6f));
    // Listing 1 and listing 2 share nothing but colour, which weighs 0.
    assertThat(t[1 * n + 2]).isZero();
  }

  @Test
  void augmentKeepsTheSizeAndShiftsByAtMostOneFourteenth() {
    int size = 112;
    float[] chw = new float[3 * size * size];
    // A single bright column in the middle of every channel.
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        chw[c * size * size + y * size + size / 2] = 10f;
      }
    }
    float[] out = new float[chw.length];
    Random random = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      ImageEncoderTrainer.augment(chw, out, size, random);
      int brightest = 0;
      for (int x = 1; x < size; x++) {
        if (out[size * (size / 2) + x] > out[size * (size / 2) + brightest]) {
          brightest = x;
        }
      }
      int distance = Math.min(Math.abs(brightest - size / 2), Math.abs(brightest - (size - 1 - size / 2)));
      assertThat(distance).isLessThanOrEqualTo(size / 14);
    }
  }

  @Test
  void settingsTakeTheInputSizeAsIsWithinThePipelineLimits() {
    assertThat(ImageEncoderTrainer.Settings.defaults(3, 1L).inputSize()).isEqualTo(80);
    assertThat(new ImageEncoderTrainer.Settings(1, 1L, 8, 96, 1e-3f, 0.1, 1, Device.CPU).inputSize()).isEqualTo(96);
    assertThatThrownBy(() -> new ImageEncoderTrainer.Settings(1, 1L, 8, 16, 1e-3f, 0.1, 1, Device.CPU))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageEncoderTrainer.Settings(1, 1L, 8, 448, 1e-3f, 0.1, 1, Device.CPU))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renderedViewsAreTrainingBandShotsDistinctFromTheCheckShot() {
    Listing ring = new Listing("R-00001", "ring", null, null, "ring", "18k_gold", "diamond", "yellow", "classic",
        1000.0, "CNY", "m-01", List.of("images/R-00001.jpg"), true, Map.of());
    RenderedViews views = new RenderedViews(2);
    byte[] a = views.photo(ring, 0);
    byte[] b = views.photo(ring, 1);
    assertThat(a).isEqualTo(views.photo(ring, 0)).isNotEqualTo(b);
    assertThat(views.checkPhoto(ring)).isNotEqualTo(a).isNotEqualTo(b);
    assertThat(a).isEqualTo(SampleCatalogGenerator.jpeg(new SampleCatalogGenerator().renderPhoto(ring,
        SampleCatalogGenerator.trainingVariant("R-00001", 0))));
    assertThatThrownBy(() -> views.photo(ring, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(TrainingViews.none().count()).isZero();
    assertThat(TrainingViews.none().checkPhoto(ring)).isNull();
  }
}
