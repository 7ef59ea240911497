package dev.facet.model;

import dev.facet.core.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** Brute-force inner-product neighbours; the default {@link HardNegativeSource}. */
final class VectorNeighbours implements HardNegativeSource {
  private final List<String> ids;
  private final float[][] vectors;
  private final Map<String, float[]> byId;

  VectorNeighbours(Map<String, float[]> vectors) {
    this.byId = Map.copyOf(vectors);
    this.ids = new ArrayList<>(vectors.keySet());
    this.vectors = new float[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      this.vectors[i] = vectors.get(ids.get(i));
    }
  }

  @Override
  public List<String> neighbours(String itemId, int k) {
    float[] q = byId.get(itemId);
    if (q == null || k < 1) {
      return List.of();
    }
    PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> Float.compare(Float.intBitsToFloat((int) a[0]),
        Float.intBitsToFloat((int) b[0])));
    for (int i = 0; i < vectors.length; i++) {
      if (ids.get(i).equals(itemId)) {
        continue;
      }
      float s = (float) VectorMath.dot(q, vectors[i]);
      if (heap.size() < k) {
        heap.add(new long[] {Float.floatToIntBits(s), i});
      } else if (s > Float.intBitsToFloat((int) heap.peek()[0])) {
        heap.poll();
        heap.add(new long[] {Float.floatToIntBits(s), i});
      }
    }
    List<String> out = new ArrayList<>(heap.size());
    while (!heap.isEmpty()) {
      out.add(ids.get((int) heap.poll()[1]));
    }
    java.util.Collections.reverse(out);
    return out;
  }
}
