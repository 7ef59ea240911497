package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusedImageEncoderTest {
  /** A fake encoder: the mean of each channel and a few pixels, at its own input side, normalised. */
  static final class Probe implements ImageEncoder {
    final int side;
    final List<Integer> seenLengths = new ArrayList<>();
    boolean closed;

    Probe(int side) {
      this.side = side;
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public int inputSize() {
      return side;
    }

    @Override
    public float[][] encode(List<float[]> chwImages) {
      float[][] out = new float[chwImages.size()][];
      for (int i = 0; i < out.length; i++) {
        float[] x = chwImages.get(i);
        seenLengths.add(x.length);
        out[i] = Vectors.l2Normalize(new float[] {x[0], x[side * side], x[2 * side * side], x[x.length - 1]});
      }
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static List<float[]> random(int n, int side, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[3 * side * side];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) r.nextGaussian();
      }
      out.add(x);
    }
    return out;
  }

  @Test
  void cosineOfFusedVectorsIsTheWeightedSumOfThePartsCosines() {
    Probe big = new Probe(12);
    Probe small = new Probe(4);
    try (FusedImageEncoder fused = new FusedImageEncoder("t", List.of(new FusedImageEncoder.Part("big", big, 0.7),
        new FusedImageEncoder.Part("small", small, 0.3)), 12)) {
      assertThat(fused.dimension()).isEqualTo(8);
      List<float[]> images = random(2, 12, 3L);
      float[][] v = fused.encode(images);
      assertThat(Vectors.dot(v[0], v[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      float[][] b = big.encode(images);
      float[][] s = small.encode(ChwDownscale.all(images, 12, 3));
      double expected = 0.7 * Vectors.dot(b[0], b[1]) + 0.3 * Vectors.dot(s[0], s[1]);
      assertThat(Vectors.dot(v[0], v[1])).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
      // The small part was given the image area-averaged to its own side.
      assertThat(small.seenLengths).contains(3 * 4 * 4);
    }
    assertThat(big.closed).isTrue();
    assertThat(small.closed).isTrue();
  }

  @Test
  void partsThatDoNotFitAreRefused() {
    assertThatThrownBy(() -> new FusedImageEncoder("t", List.of(new FusedImageEncoder.Part("a", new Probe(5), 1.0)), 12))
        .hasMessageContaining("dividing 12");
    assertThatThrownBy(() -> new FusedImageEncoder("t", List.of(new FusedImageEncoder.Part("a", new Probe(4), 0.5)), 12))
        .hasMessageContaining("sum to 1");
  }

  @Test
  void downscaleAveragesBlocks() {
    float[] chw = new float[3 * 4 * 4];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = i;
    }
    float[] small = ChwDownscale.of(chw, 4, 2);
    assertThat(small).hasSize(12);
    // Channel 0, top-left block: values 0, 1, 4, 5.
    assertThat(small[0]).isEqualTo(2.5f);
    // Channel 2, bottom-right block: 32 + {10, 11, 14, 15}.
    assertThat(small[11]).isEqualTo(44.5f);
  }

  @Test
  void descriptorWithAMissingPartNamesItAndClosesWhatItOpened(@TempDir Path dir) throws Exception {
    Files.copy(TorchScriptImageEncoderTest.fixture("tiny-resnet.pt"), dir.resolve("tiny.pt"));
    Files.writeString(dir.resolve("tiny.json"), """
        {"id": "tiny", "kind": "image", "engine": "PyTorch", "format": "torchscript", "source": "file",
         "weights": "tiny.pt", "input": {"size": 224}, "output": {"dim": 128}}""");
    Files.writeString(dir.resolve("both.json"), """
        {"id": "both", "kind": "image", "engine": "PyTorch", "format": "fused", "source": "parts",
         "input": {"size": 224}, "output": {"dim": 256},
         "parts": [{"id": "tiny", "weight": 0.5}, {"id": "nowhere", "weight": 0.5}]}""");
    assertThatThrownBy(() -> ImageEncoders.open(ModelDescriptorReader.find(dir, "both"), Device.CPU))
        .isInstanceOf(FacetException.class).hasMessageContaining("'nowhere'");
    Files.writeString(dir.resolve("both.json"), """
        {"id": "both", "kind": "image", "engine": "PyTorch", "format": "fused", "source": "parts",
         "input": {"size": 224}, "output": {"dim": 256},
         "parts": [{"id": "tiny", "weight": 0.25}, {"id": "tiny", "weight": 0.75}]}""");
    Files.writeString(dir.resolve("nested.json"), """
        {"id": "nested", "kind": "image", "engine": "PyTorch", "format": "fused", "source": "parts",
         "input": {"size": 224}, "output": {"dim": 384},
         "parts": [{"id": "tiny", "weight": 0.5}, {"id": "both", "weight": 0.5}]}""");
    assertThatThrownBy(() -> ImageEncoders.open(ModelDescriptorReader.find(dir, "nested"), Device.CPU))
        .isInstanceOf(FacetException.class).hasMessageContaining("part 'both' is itself a fused model");
    Files.delete(dir.resolve("nested.json"));
    assertThat(ModelDescriptorReader.imageIds(dir)).containsExactly("both", "tiny");
    try (ImageEncoder both = ImageEncoders.open(ModelDescriptorReader.find(dir, "both"), Device.CPU)) {
      assertThat(both).isInstanceOf(FusedImageEncoder.class);
      float[] v = both.encode(random(1, 224, 9L))[0];
      assertThat(v).hasSize(256);
      // Both halves come from the same network: their shares of the squared norm are the weights.
      double first = 0;
      for (int i = 0; i < 128; i++) {
        first += v[i] * v[i];
      }
      assertThat(first).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void randomProjectionIsSeededOrthonormalAndKeepsCosinesClose() {
    RandomProjection p = new RandomProjection(256, 128, 7L);
    float[][] rows = random(2, 6, 1L).stream().map(x -> Vectors.l2Normalize(java.util.Arrays.copyOf(x, 256))).toArray(float[][]::new);
    rows[1] = Vectors.l2Normalize(rows[0].clone());
    for (int i = 0; i < 40; i++) {
      rows[1][i] += 0.05f;
    }
    Vectors.l2Normalize(rows[1]);
    float[][] y = p.apply(rows);
    assertThat(y[0]).hasSize(128);
    assertThat(Vectors.dot(y[0], y[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(new RandomProjection(256, 128, 7L).apply(rows)[0]).containsExactly(y[0]);
    assertThat(Vectors.dot(y[0], y[1])).isCloseTo(Vectors.dot(rows[0], rows[1]), org.assertj.core.data.Offset.offset(0.05));
  }
}
