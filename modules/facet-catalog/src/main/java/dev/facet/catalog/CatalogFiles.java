package dev.facet.catalog;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The input files found in a catalog directory; any of them may be null when absent, but not all.
 *
 * @param dir the catalog directory; relative image paths resolve against it
 * @param listings {@code listings.jsonl} or {@code listings.csv} (optionally {@code .gz})
 * @param interactions {@code interactions.jsonl}, {@code interactions.csv} or the Taobao {@code UserBehavior.csv}
 * @param users {@code users.jsonl} or {@code users.csv}
 */
public record CatalogFiles(Path dir, Path listings, Path interactions, Path users) {
  public CatalogFiles {
    Objects.requireNonNull(dir, "dir");
    if (listings == null && interactions == null && users == null) {
      throw new IllegalArgumentException("a catalog needs at least one of listings, interactions, users");
    }
  }
}
