package dev.facet.catalog;

/** How much of a listing's images a read checks before accepting the listing. */
public enum ImageCheck {
  /** None: only the syntax of each image path. */
  NONE,
  /**
   * Every image resolved inside the catalog, read (regular file, size cap) and its header checked:
   * format, completeness and declared size of every frame, without decoding pixels. What ingest
   * does, since it decodes the primary image anyway.
   */
  HEADERS,
  /** As {@link #HEADERS}, and every image fully decoded. What {@code facet validate} does. */
  DECODE
}
