package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Each loss term on a case small enough to check by hand (values in the comments). */
class LossesTest {
  private static float interaction(LossType type, float[] scores, float[] pos, float[] w, int cols) {
    try (NDManager m = NDManager.newBaseManager()) {
      int rows = scores.length / cols;
      NDArray l = Losses.interaction(m.create(scores, new Shape(rows, cols)), m.create(pos, new Shape(rows, cols)),
          m.create(w), type, null);
      return l.getFloat();
    }
  }

  @Test
  void sampledSoftmax() {
    // row 0: log(1 + e^-1) = 0.313262; row 1: log(1 + e^-2) = 0.126928
    float[] s = {1, 0, 0, 2};
    float[] p = {1, 0, 0, 1};
    assertThat(interaction(LossType.SOFTMAX, s, p, new float[] {1, 1}, 2)).isCloseTo(0.220095f, within(1e-5f));
    // event weights 1 and 3: (0.313262 + 3 * 0.126928) / 4
    assertThat(interaction(LossType.SOFTMAX, s, p, new float[] {1, 3}, 2)).isCloseTo(0.173511f, within(1e-5f));
  }

  @Test
  void logQCorrectionShiftsLogits() {
    try (NDManager m = NDManager.newBaseManager()) {
      // subtracting log Q = [0, -1] turns scores [1, 0] into [1, 1]: loss log 2
      NDArray l = Losses.interaction(m.create(new float[] {1, 0}, new Shape(1, 2)), m.create(new float[] {1, 0},
          new Shape(1, 2)), m.create(new float[] {1}), LossType.SOFTMAX, m.create(new float[] {0, -1}));
      assertThat(l.getFloat()).isCloseTo((float) Math.log(2), within(1e-5f));
    }
  }

  @Test
  void bpr() {
    // mean(softplus(1 - 2), softplus(0 - 2)) = (0.313262 + 0.126928) / 2
    assertThat(interaction(LossType.BPR, new float[] {2, 1, 0}, new float[] {1, 0, 0}, new float[] {1}, 3))
        .isCloseTo(0.220095f, within(1e-5f));
  }

  @Test
  void bce() {
    // softplus(-2) + mean(softplus(1), softplus(0)) = 0.126928 + (1.313262 + 0.693147) / 2
    assertThat(interaction(LossType.BCE, new float[] {2, 1, 0}, new float[] {1, 0, 0}, new float[] {1}, 3))
        .isCloseTo(1.130133f, within(1e-5f));
  }

  @Test
  void perKeyCrossEntropy() {
    try (NDManager m = NDManager.newBaseManager()) {
      // key 0 (2 tokens, equal logits, target 1/2 each): ln 2; key 1 (1 token): 0
      NDArray l = Losses.perKeyCrossEntropy(m.create(new float[] {0, 0, 1}, new Shape(1, 3)),
          m.create(new float[] {0.5f, 0.5f, 1}, new Shape(1, 3)), new int[] {0, 2, 3});
      assertThat(l.getFloat()).isCloseTo(0.693147f, within(1e-5f));
      // absent key (target all zero) contributes nothing
      NDArray absent = Losses.perKeyCrossEntropy(m.create(new float[] {3, -1, 1}, new Shape(1, 3)),
          m.create(new float[] {0, 0, 1}, new Shape(1, 3)), new int[] {0, 2, 3});
      assertThat(absent.getFloat()).isCloseTo(0f, within(1e-6f));
    }
  }

  @Test
  void infoNce() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray eye = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      // cosine matrix = I, temperature 1: each direction -log(e / (e + 1)) = 0.313262
      assertThat(Losses.infoNce(eye, eye, 1f).getFloat()).isCloseTo(0.313262f, within(1e-5f));
      NDArray swapped = m.create(new float[] {0, 1, 1, 0}, new Shape(2, 2));
      assertThat(Losses.infoNce(eye, swapped, 1f).getFloat()).isCloseTo(1.313262f, within(1e-5f));
    }
  }
}
