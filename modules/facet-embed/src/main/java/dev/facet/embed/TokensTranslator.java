package dev.facet.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * Pads a batch of tokenized texts to the longest one, runs the BERT forward pass and mean-pools
 * {@code last_hidden_state} over the attention mask. Pooling is done on the Java side so that it is
 * identical for the OnnxRuntime and PyTorch engines (OnnxRuntime arrays support few operators).
 */
final class TokensTranslator implements NoBatchifyTranslator<List<Tokens>, float[][]> {
  private static final String BATCH = "tokens";

  @Override
  public NDList processInput(TranslatorContext ctx, List<Tokens> batch) {
    int n = batch.size();
    int len = 0;
    for (Tokens t : batch) {
      len = Math.max(len, t.length());
    }
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    long[] types = new long[n * len];
    for (int i = 0; i < n; i++) {
      Tokens t = batch.get(i);
      // Padding is id 0 ([PAD]) with mask 0, so padded positions never reach the pooled vector.
      System.arraycopy(t.ids(), 0, ids, i * len, t.length());
      System.arraycopy(t.mask(), 0, mask, i * len, t.length());
      System.arraycopy(t.types(), 0, types, i * len, t.length());
    }
    ctx.setAttachment(BATCH, batch);
    NDManager m = ctx.getNDManager();
    Shape shape = new Shape(n, len);
    NDArray a = m.create(ids, shape);
    a.setName("input_ids");
    NDArray b = m.create(mask, shape);
    b.setName("attention_mask");
    NDArray c = m.create(types, shape);
    c.setName("token_type_ids");
    return new NDList(a, b, c);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    @SuppressWarnings("unchecked")
    List<Tokens> batch = (List<Tokens>) ctx.getAttachment(BATCH);
    NDArray hidden = list.get("last_hidden_state");
    if (hidden == null) {
      hidden = list.get(0);
    }
    Shape s = hidden.getShape();
    if (s.dimension() != 3 || s.get(0) != batch.size()) {
      throw new IllegalStateException("expected last_hidden_state [batch, tokens, dim], got " + s);
    }
    int len = (int) s.get(1);
    int dim = (int) s.get(2);
    float[] h = hidden.toFloatArray();
    float[][] out = new float[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      long[] mask = batch.get(i).mask();
      float[] v = new float[dim];
      int count = 0;
      for (int t = 0; t < mask.length; t++) {
        if (mask[t] == 0) {
          continue;
        }
        count++;
        int base = (i * len + t) * dim;
        for (int d = 0; d < dim; d++) {
          v[d] += h[base + d];
        }
      }
      if (count > 0) {
        for (int d = 0; d < dim; d++) {
          v[d] /= count;
        }
      }
      out[i] = Vectors.l2Normalize(v);
    }
    return out;
  }
}
