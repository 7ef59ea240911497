package dev.facet.spark;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession Facet's jobs run in. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session on {@code master} (null: whatever spark-submit configured, else {@code local[*]}), with
   * the UI off and few shuffle partitions (catalog jobs shuffle little).
   */
  public static SparkSession create(String master, String appName) {
    SparkSession.Builder b = SparkSession.builder().appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.parquet.compression.codec", "zstd");
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[*]");
    }
    return b.getOrCreate();
  }
}
