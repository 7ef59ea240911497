package dev.facet.model;

import java.util.List;

/** MostPopular: every user gets the items ranked by number of training users. */
final class PopularBaseline implements Scorer {
  private final float[] scores;

  PopularBaseline(TrainingData data) {
    scores = new float[data.counts.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = data.counts[i];
    }
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = scores;
    }
    return out;
  }
}
