package dev.facet.spark;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * Binds the Spark extraction job: a {@link SparkSession} on the configured master and the
 * {@link ExtractSettings} derived from the same {@link FacetConfig} and {@link EmbedSettings} the local
 * ingest uses, so executors open exactly the local encoders. Needs {@code CoreModule} (FacetConfig);
 * binds {@link EmbedSettings} itself only when given one. The injector's owner stops the session.
 */
public final class SparkModule extends AbstractModule {
  private final String master;
  private final EmbedSettings embed;

  /** @param master Spark master URL ({@code local[2]}, {@code spark://host:7077}), or null for spark-submit's */
  public SparkModule(String master, EmbedSettings embed) {
    this.master = master;
    this.embed = Objects.requireNonNull(embed, "embed");
  }

  @Provides
  @Singleton
  SparkSession sparkSession() {
    return SparkSessions.create(master, "facet");
  }

  @Provides
  @Singleton
  ExtractSettings extractSettings(FacetConfig config) {
    return ExtractSettings.of(config, embed, 1);
  }

  @Provides
  @Singleton
  SparkExtractJob extractJob(SparkSession spark, ExtractSettings settings) {
    return new SparkExtractJob(spark, settings);
  }
}
