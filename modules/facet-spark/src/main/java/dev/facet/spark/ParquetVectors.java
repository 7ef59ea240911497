package dev.facet.spark;

import dev.facet.core.Listing;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the Parquet written by {@link SparkExtractJob} back into Facet: the local ingest's "embed" step
 * replaced by a load, so a catalog extracted on a cluster lands in the embedded index without running
 * the encoders again.
 */
public final class ParquetVectors {
  private ParquetVectors() {}

  /**
   * Streams the rows of {@code vectors} (a {@code vectors.parquet} directory, or the output directory
   * holding one) as {@link IndexedListing}s without joint vectors. Rows are pulled to the driver one
   * partition at a time.
   */
  public static long forEach(SparkSession spark, Path vectors, Consumer<IndexedListing> out) {
    Path dir = vectors.resolve(SparkExtractJob.VECTORS).toFile().isDirectory() ? vectors.resolve(SparkExtractJob.VECTORS) : vectors;
    Iterator<Row> rows = spark.read().parquet(dir.toAbsolutePath().toString())
        .select("id", "content_hash", "image_vec", "text_vec", "listing_json").toLocalIterator();
    long n = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      Listing listing = ContentHash.fromJson(r.getString(4));
      out.accept(new IndexedListing(listing, r.getString(1), floats(r, 2), floats(r, 3), null));
      n++;
    }
    return n;
  }

  /**
   * Upserts every row of {@code vectors} into {@code index} and commits. Joint vectors are left empty:
   * the engine fills them from the content towers when a joint model is trained or reloaded
   * ({@code CatalogIndex#updateJointVectors}).
   *
   * @return listings written
   */
  public static long loadInto(SparkSession spark, Path vectors, CatalogIndex index) {
    long n = forEach(spark, vectors, index::upsert);
    index.commit(Map.of("facet.loaded.from", vectors.toAbsolutePath().toString()));
    index.refresh();
    return n;
  }

  static float[] floats(Row r, int i) {
    if (r.isNullAt(i)) {
      return null;
    }
    List<Object> list = r.getList(i);
    float[] out = new float[list.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = ((Number) list.get(j)).floatValue();
    }
    return out;
  }
}
