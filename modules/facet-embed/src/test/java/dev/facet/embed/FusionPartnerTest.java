package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FusionPartnerTest {
  private static final int LISTINGS = 8;
  private static final int VIEWS = 3;
  private static final int FROZEN_DIM = 6;
  private static final int RESNET_DIM = 10;
  private static final int PROJECTED = 4;

  @Test
  void frozenCosinesAreThoseOfEachPhotosOwnView() {
    float[][][] vectors = randomUnitVectors(new Random(7));
    FusionPartner partner = new FusionPartner(vectors, 0.8, new RandomProjection(RESNET_DIM, PROJECTED, 2).columns(), 0.05f, 1f);
    int[] listing = {0, 3, 0, 5};
    int[] view = {0, 2, 1, 1};
    float[] cos = partner.frozenCosines(listing, view);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double expected = Vectors.dot(vectors[listing[i]][view[i]], vectors[listing[j]][view[j]]);
        assertThat((double) cos[i * 4 + j]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  /**
   * The fused term rewards a ResNet whose projected vectors tell apart the listings the frozen part
   * confuses: with a frozen part that sees every listing alike, the loss is low only when the
   * ResNet's two photos of a listing agree and differ from other listings'.
   */
  @Test
  void lossIsLowWhenTheResNetSeparatesListingsTheFrozenPartConfuses() {
    float[][][] alike = new float[LISTINGS][VIEWS][FROZEN_DIM];
    for (float[][] l : alike) {
      for (float[] v : l) {
        v[0] = 1; // the frozen part cannot tell any two photos apart
      }
    }
    RandomProjection projection = new RandomProjection(RESNET_DIM, PROJECTED, 2);
    FusionPartner partner = new FusionPartner(alike, 0.8, projection.columns(), 0.05f, 1f);
    int n = 4;
    int[] listing = {0, 1, 2, 3, 0, 1, 2, 3};
    int[] view = {0, 0, 0, 0, 1, 1, 1, 1};
    Random random = new Random(11);
    float[][] distinct = new float[n][];
    for (int i = 0; i < n; i++) {
      distinct[i] = unit(gaussian(random, RESNET_DIM));
    }
    float[] separating = new float[2 * n * RESNET_DIM];
    float[] collapsed = new float[2 * n * RESNET_DIM];
    float[] same = unit(gaussian(random, RESNET_DIM));
    for (int r = 0; r < 2 * n; r++) {
      System.arraycopy(distinct[r % n], 0, separating, r * RESNET_DIM, RESNET_DIM);
      System.arraycopy(same, 0, collapsed, r * RESNET_DIM, RESNET_DIM);
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray instance = m.create(ImageEncoderTrainer.instanceTargets(n), new Shape(2L * n, 2L * n));
      // No two listings share an attribute here: the related term's targets equal the instance targets.
      float good = partner.loss(m.create(separating, new Shape(2L * n, RESNET_DIM)), listing, view, instance, instance, m)
          .getFloat();
      float bad = partner.loss(m.create(collapsed, new Shape(2L * n, RESNET_DIM)), listing, view, instance, instance, m)
          .getFloat();
      // A collapsed ResNet leaves 2n - 1 equal candidates: each term is log(2n - 1).
      assertThat((double) bad).isCloseTo(2 * Math.log(2 * n - 1), org.assertj.core.data.Offset.offset(1e-3));
      assertThat(good).isLessThan(bad / 2);
    }
  }

  @Test
  void rejectsAWeightOutsideTheOpenUnitInterval() {
    float[][] columns = new RandomProjection(RESNET_DIM, PROJECTED, 2).columns();
    float[][][] vectors = randomUnitVectors(new Random(3));
    assertThatThrownBy(() -> new FusionPartner(vectors, 1.0, columns, 0.05f, 1f)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FusionPartner(vectors, 0.8, columns, 0f, 1f)).isInstanceOf(IllegalArgumentException.class);
  }

  private static float[][][] randomUnitVectors(Random random) {
    float[][][] out = new float[LISTINGS][VIEWS][];
    for (float[][] l : out) {
      for (int v = 0; v < VIEWS; v++) {
        l[v] = unit(gaussian(random, FROZEN_DIM));
      }
    }
    return out;
  }

  private static float[] gaussian(Random random, int d) {
    float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double n = Math.sqrt(Vectors.dot(v, v));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / n);
    }
    return out;
  }
}
