package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.catalog.CatalogFiles;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.ListingContentHash;
import dev.facet.catalog.ReadReport;
import dev.facet.catalog.RejectLogWriter;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ListingEmbedding;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import dev.facet.model.JointModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Catalog ingestion: reader → validation → content hash → encoders → index.
 *
 * <p>Listings are upserted by id. A listing whose content hash (its fields plus the bytes of its
 * images) equals the indexed one is skipped without re-embedding, which is also how a killed run
 * resumes: everything committed before the kill is skipped, the rest is embedded again. The index
 * is committed every {@link #COMMIT_EVERY} upserts with a checkpoint in the commit user data. When a
 * trained joint model exists, new listings get their joint vector from the content towers at once.
 */
@Singleton
public final class CatalogIngestor {
  /** Upserts between two commits: bounds the work lost to a crash. */
  static final int COMMIT_EVERY = 32;
  /** Commit user-data keys. */
  static final String KEY_CATALOG = "facet.catalog";
  static final String KEY_INGESTED = "facet.ingested";
  static final String KEY_COMPLETE = "facet.ingest.complete";
  /** {@link EncoderFingerprint} of the encoders behind every vector, written when an ingest completes. */
  static final String KEY_ENCODERS = "facet.encoders";
  /** Written by facet-spark's {@code ParquetVectors} when it fills an index from Parquet. */
  static final String KEY_LOADED_FROM = "facet.loaded.from";

  private final FacetConfig config;
  private final CatalogReader reader;
  private final CatalogIndex index;
  private final Provider<EmbeddingPipeline> pipeline;
  private final ModelHolder models;
  private final ItemFeaturesFactory features;
  private final String encoders;

  @Inject
  CatalogIngestor(FacetConfig config, CatalogReader reader, CatalogIndex index, Provider<EmbeddingPipeline> pipeline,
      ModelHolder models, ItemFeaturesFactory features, EmbedSettings embed) {
    this.config = config;
    this.encoders = EncoderFingerprint.of(config, embed);
    this.reader = reader;
    this.index = index;
    this.pipeline = pipeline;
    this.models = models;
    this.features = features;
  }

  /**
   * Outcome of an ingest run.
   *
   * @param listingsRead listings read from the catalog (accepted by validation)
   * @param rejected records rejected (validation or image)
   * @param unchanged listings skipped because their content hash matched
   * @param upserted listings embedded and written
   * @param deleted listings removed because they are no longer in the catalog
   * @param indexSize documents in the index afterwards
   * @param rejectsFile where rejects were written
   * @param retiredModel where the joint model went when the encoders changed under it, else null
   * @param nanos wall time
   */
  public record Report(long listingsRead, long rejected, long unchanged, long upserted, long deleted, int indexSize,
      Path rejectsFile, Path retiredModel, long nanos) {
    /** A few human lines. */
    public String summary() {
      return String.format(java.util.Locale.ROOT,
          "ingested %,d listings: %,d embedded, %,d unchanged (skipped), %,d deleted, %,d rejected; index holds %,d (%.1f s)%s%s",
          listingsRead, upserted, unchanged, deleted, rejected, indexSize, nanos / 1e9,
          rejected > 0 ? "\nrejects written to " + rejectsFile : "",
          retiredModel != null ? "\nthe joint model was trained on the previous encoders' vectors: moved to " + retiredModel
              + "; recommendations are by popularity until `facet train` runs" : "");
    }
  }

  /**
   * Ingests the catalog in {@code catalogDir}.
   *
   * @param deleteMissing remove indexed listings that the catalog no longer has
   * @param progress told (total, done) as listings are embedded; total is known once reading ends
   */
  public Report ingest(Path catalogDir, boolean deleteMissing, Progress progress) {
    long start = System.nanoTime();
    CatalogFiles files = reader.locate(catalogDir);
    if (files.listings() == null) {
      throw new FacetException("no listings file (listings.jsonl or listings.csv) in " + catalogDir);
    }
    Path rejectsFile = config.workDir().resolve("rejects.jsonl");
    List<Listing> changed = new ArrayList<>();
    Map<String, String> hashes = new HashMap<>();
    Set<String> inCatalog = new HashSet<>();
    long[] unchanged = {0};
    long upserted;
    // Vectors from other encoders cannot be kept: every listing is embedded again. So is an index
    // with no record, built before the record existed; vectors loaded from Spark's Parquet output
    // (made by the same encoders, by contract of that job) are kept.
    Map<String, String> userData = index.lastCommitUserData();
    String recorded = userData.get(KEY_ENCODERS);
    boolean reembedAll = index.size() > 0
        && (recorded != null ? !recorded.equals(encoders) : !userData.containsKey(KEY_LOADED_FROM));
    String keptRecord = recorded != null ? recorded : "unknown";
    try (RejectLogWriter rejects = RejectLogWriter.open(rejectsFile)) {
      Path base = files.listings().toAbsolutePath().getParent();
      ReadReport read = reader.readListings(files.listings(), false, listing -> {
        inCatalog.add(listing.id());
        String hash;
        try {
          hash = ListingContentHash.of(listing, base);
        } catch (IOException e) {
          rejects.accept(new RecordError(files.listings().toString(), 0, listing.id(), "images", e.getMessage()));
          return;
        }
        if (!reembedAll && index.contentHash(listing.id()).filter(hash::equals).isPresent()) {
          unchanged[0]++;
        } else {
          changed.add(listing);
          hashes.put(listing.id(), hash);
        }
      }, rejects);
      // Before any vector changes, so that a run killed halfway never serves the old model on new vectors.
      Path retired = reembedAll ? models.retire() : null;
      progress.start(changed.size());
      upserted = embedAndIndex(changed, hashes, base, rejects, progress, catalogDir, reembedAll ? keptRecord : encoders);
      long deleted = 0;
      if (deleteMissing) {
        for (String id : index.ids()) {
          if (!inCatalog.contains(id) && index.delete(id)) {
            deleted++;
          }
        }
      }
      Map<String, String> checkpoint = new LinkedHashMap<>(index.lastCommitUserData());
      checkpoint.put(KEY_CATALOG, catalogDir.toAbsolutePath().normalize().toString());
      checkpoint.put(KEY_COMPLETE, "true");
      checkpoint.put(KEY_ENCODERS, encoders);
      index.commit(checkpoint);
      index.refresh();
      return new Report(read.accepted(), rejects.count(), unchanged[0], upserted, deleted, index.size(), rejectsFile,
          retired, System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + rejectsFile, e);
    }
  }

  private long embedAndIndex(List<Listing> changed, Map<String, String> hashes, Path base, RejectLogWriter rejects,
      Progress progress, Path catalogDir, String recordedEncoders) {
    if (changed.isEmpty()) {
      return 0;
    }
    Map<String, Listing> byId = new HashMap<>();
    for (Listing l : changed) {
      byId.put(l.id(), l);
    }
    Optional<JointModel> model = models.current();
    long[] written = {0};
    pipeline.get().run(changed, l -> CatalogReader.resolveImage(base, l.primaryImage()), (ListingEmbedding e) -> {
      Listing listing = byId.get(e.id());
      float[] joint = model.map(m -> m.itemVectorFromContent(features.of(listing, e.image(), e.text()))).orElse(null);
      index.upsert(new IndexedListing(listing, hashes.get(e.id()), e.image(), e.text(), joint));
      if (++written[0] % COMMIT_EVERY == 0) {
        index.commit(checkpoint(catalogDir, written[0], recordedEncoders));
      }
    }, rejects, progress::advanceTo);
    index.commit(checkpoint(catalogDir, written[0], recordedEncoders));
    return written[0];
  }

  /**
   * A mid-ingest commit. While re-embedding for new encoders it keeps the old record (or "unknown"),
   * so a run killed halfway still sees a mismatch when it resumes and re-embeds the rest; otherwise
   * it records the current encoders.
   */
  private Map<String, String> checkpoint(Path catalogDir, long written, String recordedEncoders) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(KEY_ENCODERS, recordedEncoders);
    data.put(KEY_CATALOG, catalogDir.toAbsolutePath().normalize().toString());
    data.put(KEY_INGESTED, Long.toString(written));
    data.put(KEY_COMPLETE, "false");
    return data;
  }

  /** False when the last ingest into this index was killed before it finished (resume by ingesting again). */
  public boolean lastIngestComplete() {
    return !"false".equals(index.lastCommitUserData().get(KEY_COMPLETE));
  }

  /** The catalog directory the index was last ingested from, if any. */
  public Optional<Path> lastCatalog() {
    return Optional.ofNullable(index.lastCommitUserData().get(KEY_CATALOG)).map(Path::of);
  }

  /** Progress of the embedding phase, for progress bars. */
  public interface Progress {
    /** Number of listings to embed in this run. */
    void start(long total);

    /** Listings embedded or rejected so far. */
    void advanceTo(long done);

    /** Ignores progress. */
    Progress NONE = new Progress() {
      @Override
      public void start(long total) {}

      @Override
      public void advanceTo(long done) {}
    };
  }
}
