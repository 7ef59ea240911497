package dev.facet.model;

/**
 * One training batch as plain arrays (built on the loader thread; turned into NDArrays by the
 * trainer). Items are addressed by local index into {@link #items}.
 */
final class Batch {
  int size;
  int historyLength;
  /** Global indices of every item the batch touches. */
  int[] items;
  float[] itemIdMask;
  /** Per-item features, or null for all three when the batch's items are the trainer's shared item table. */
  float[] itemAttr;
  float[] itemImage;
  float[] itemText;
  /** Local indices of items that have both image and text (alignment loss). */
  int[] alignLocal;
  int[] users;
  float[] userIdMask;
  float[] profile;
  int[] histLocal;
  float[] histMask;
  float[] histLogW;
  /** (size, historyLength) 1 where the history position belongs to the row's current session. */
  float[] histSession;
  int[] targetLocal;
  /** Local indices of the shared candidate columns (in-batch positives + sampled negatives). */
  int[] candLocal;
  float[] positives;
  /** log expected count of each candidate (sampled softmax), or null for the exact softmax. */
  float[] logQ;
  /** (size, candidates) additive mask: a large negative value where the candidate is in the row's history; or null. */
  float[] candMask;
  int hard;
  int[] hardLocal;
  float[] weights;
  /** Per row, 1 / the row's user's number of training examples: spreads that user's taste prior over them. */
  float[] tastePrior;
  float[] preference;
}
