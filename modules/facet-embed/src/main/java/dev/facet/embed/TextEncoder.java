package dev.facet.embed;

import java.util.List;

/**
 * Turns texts into fixed-size, L2-normalized vectors. Implementations are thread-safe and hold
 * native resources until {@link #close()}.
 */
public interface TextEncoder extends AutoCloseable {
  /** Length of every vector {@link #encode} returns. */
  int dimension();

  /**
   * Encodes {@code texts}, one vector per text in the same order.
   *
   * @return {@code texts.size()} unit vectors of length {@link #dimension()}
   */
  float[][] encode(List<String> texts);

  @Override
  void close();
}
