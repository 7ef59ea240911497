package dev.facet.model;

import dev.facet.core.VectorMath;
import java.util.List;

/**
 * Content-only KNN: each item is the concatenation of its L2-normalized attribute bag, image vector
 * and text vector (each part normalized, absent parts zero); a user is the event-weighted mean of
 * the history items; score = cosine similarity. Uses no interaction signal beyond the user's own
 * history, so it ranks cold items like any other.
 */
final class ContentBaseline implements Scorer {
  private final float[][] content;

  ContentBaseline(TrainingData data) {
    int n = data.schema.numItems();
    content = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] a = part(data.attrBag[i], data.schema.numAttrTokens());
      float[] im = part(data.image[i], data.schema.imageDim);
      float[] tx = part(data.text[i], data.schema.textDim);
      float[] c = new float[a.length + im.length + tx.length];
      System.arraycopy(a, 0, c, 0, a.length);
      System.arraycopy(im, 0, c, a.length, im.length);
      System.arraycopy(tx, 0, c, a.length + im.length, tx.length);
      VectorMath.normalize(c);
      content[i] = c;
    }
  }

  private static float[] part(float[] v, int dim) {
    float[] out = v == null ? new float[dim] : v.clone();
    VectorMath.normalize(out);
    return out;
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    int dim = content.length == 0 ? 0 : content[0].length;
    for (int k = 0; k < out.length; k++) {
      float[] profile = new float[dim];
      for (Step s : users.get(k).history()) {
        float w = s.event().weight();
        float[] c = content[s.item()];
        for (int f = 0; f < dim; f++) {
          profile[f] += w * c[f];
        }
      }
      VectorMath.normalize(profile);
      float[] sc = new float[content.length];
      for (int i = 0; i < sc.length; i++) {
        sc[i] = (float) VectorMath.dot(profile, content[i]);
      }
      out[k] = sc;
    }
    return out;
  }
}
