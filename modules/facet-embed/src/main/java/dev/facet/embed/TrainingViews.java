package dev.facet.embed;

import dev.facet.core.Listing;

/**
 * More photos of the same product than the catalog's one, for the image encoder's instance-level
 * contrastive term: two photos of one listing are positives, other listings negatives. Without
 * extra views ({@link #none()}) the trainer uses two augmentations of the catalog photo instead.
 *
 * <p>Implementations must be deterministic (training is reproducible from its seed) and
 * thread-safe (views are prepared on worker threads).
 */
public interface TrainingViews {
  /** Extra views per listing, 0 when there are none. */
  int count();

  /**
   * Encoded photo (JPEG, PNG, …) of view {@code view} ({@code 0 ≤ view < count()}) of {@code listing}.
   */
  byte[] photo(Listing listing, int view);

  /**
   * A photo of {@code listing} that no training view shows, used only for the trainer's progress
   * report (re-shoot hit rate); null when this source cannot make one.
   */
  byte[] checkPhoto(Listing listing);

  /** Short description for the model descriptor (how the views were made). */
  String describe();

  /** No extra views. */
  static TrainingViews none() {
    return new TrainingViews() {
      @Override
      public int count() {
        return 0;
      }

      @Override
      public byte[] photo(Listing listing, int view) {
        throw new IndexOutOfBoundsException("no training views");
      }

      @Override
      public byte[] checkPhoto(Listing listing) {
        return null;
      }

      @Override
      public String describe() {
        return "none (two augmentations of the catalog photo)";
      }
    };
  }
}
