package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.catalog.CatalogFiles;
import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.ImageCheck;
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
import java.util.Locale;
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
  private final WriterLock writer;
  private final LowPriorityWriter lowPriority;

  @Inject
  CatalogIngestor(FacetConfig config, CatalogReader reader, CatalogIndex index, Provider<EmbeddingPipeline> pipeline,
      ModelHolder models, ItemFeaturesFactory features, EmbedSettings embed, WriterLock writer, RequestPriority requests) {
    this.lowPriority = new LowPriorityWriter(requests);
    this.writer = writer;
    this.config = config;
    this.encoders = EncoderFingerprint.of(config, embed);
    this.reader = reader;
    this.index = index;
    this.pipeline = pipeline;
    this.models = models;
    this.features = features;
  }

  /**
   * What {@code --delete-missing} may do. A listing absent from the catalog is deleted only when
   * the read rejected nothing (a rejected record may be a listing that is still on sale: one stray
   * quote in a CSV once made 191 listings vanish from the read, and then from the index) and when
   * the deletions stay within {@code maxShare} of the index.
   *
   * @param enabled remove indexed listings that the catalog no longer has
   * @param maxShare largest share of the indexed listings one run may delete, in (0, 1]
   */
  public record DeletePolicy(boolean enabled, double maxShare) {
    /** Default {@link #maxShare}: a fifth of the index. */
    public static final double DEFAULT_MAX_SHARE = 0.2;
    /** Never delete. */
    public static final DeletePolicy KEEP = new DeletePolicy(false, DEFAULT_MAX_SHARE);

    public DeletePolicy {
      if (!(maxShare > 0 && maxShare <= 1)) {
        throw new IllegalArgumentException("the share of the index one ingest may delete must be in (0, 1], got " + maxShare);
      }
    }

    /** Delete missing listings, up to {@code maxShare} of the index. */
    public static DeletePolicy deleteMissing(double maxShare) {
      return new DeletePolicy(true, maxShare);
    }
  }

  /**
   * Outcome of an ingest run.
   *
   * @param listingsRead listings read from the catalog (accepted by validation)
   * @param rejected records rejected (validation or image)
   * @param unchanged listings skipped because their content hash matched
   * @param edited listings whose metadata only (price, stock, merchant, filter attributes) changed:
   *     written without embedding, their trained joint vectors kept
   * @param upserted listings embedded and written
   * @param deleted listings removed because they are no longer in the catalog
   * @param indexSize documents in the index afterwards
   * @param rejectsFile where rejects were written
   * @param retiredModel where the joint model went when the encoders changed under it, else null
   * @param deleteRefused why listings missing from the catalog were kept although deletion was
   *     asked for, else null
   * @param nanos wall time
   */
  public record Report(long listingsRead, long rejected, long unchanged, long edited, long upserted, long deleted,
      int indexSize, Path rejectsFile, Path retiredModel, String deleteRefused, long nanos) {
    /** A few human lines. */
    public String summary() {
      return String.format(java.util.Locale.ROOT,
          "ingested %,d listings: %,d embedded, %,d metadata-only edits (vectors kept), %,d unchanged (skipped), %,d deleted, "
              + "%,d rejected; index holds %,d (%.1f s)%s%s%s",
          listingsRead, upserted, edited, unchanged, deleted, rejected, indexSize, nanos / 1e9,
          rejected > 0 ? "\nrejects written to " + rejectsFile : "",
          deleteRefused != null ? "\n--delete-missing refused: " + deleteRefused : "",
          retiredModel != null ? "\nthe joint model was trained on the previous encoders' vectors: moved to " + retiredModel
              + "; recommendations are by popularity until `facet train` runs" : "");
    }
  }

  /**
   * Ingests the catalog in {@code catalogDir}; with {@code deleteMissing}, under the default {@link
   * DeletePolicy} share.
   */
  public Report ingest(Path catalogDir, boolean deleteMissing, Progress progress) {
    return ingest(catalogDir, deleteMissing ? DeletePolicy.deleteMissing(DeletePolicy.DEFAULT_MAX_SHARE) : DeletePolicy.KEEP, progress);
  }

  /**
   * Ingests the catalog in {@code catalogDir}. Every image of every listing is checked (inside the
   * catalog directory, a regular file within the size cap, a well-formed header within the pixel
   * cap) while the file is read; the primary image is decoded when embedding.
   *
   * @param deletes whether and how far to remove indexed listings that the catalog no longer has
   * @param progress told (total, done) as listings are embedded; total is known once reading ends
   */
  public Report ingest(Path catalogDir, DeletePolicy deletes, Progress progress) {
    CatalogFiles files = reader.locate(catalogDir);
    if (files.listings() == null) {
      throw new FacetException("no listings file (listings.jsonl or listings.csv) in " + catalogDir);
    }
    return ingest(new Source(files.listings(), files.listings().toAbsolutePath().getParent(), catalogDir, ImageCheck.HEADERS,
        COMMIT_EVERY),
        deletes, progress);
  }

  /**
   * Where a run's listings come from: a listings file, the directory its image paths are relative
   * to, the catalog recorded in the index, and how far images are checked while reading.
   */
  record Source(Path listings, Path imageBase, Path catalogDir, ImageCheck images, int commitEvery) {}

  /**
   * Upserts the listings of one file (e.g. a batch posted to a serving engine) whose images are
   * relative to {@code imageBase}; nothing is deleted. Same validation, rejects and report as a
   * catalog ingest. The batch is committed once, at the end: a crash before that leaves none of it.
   */
  public Report upsertBatch(Path listingsFile, Path imageBase, Path catalogDir, Progress progress) {
    Source source = new Source(listingsFile, imageBase, catalogDir, ImageCheck.NONE, Integer.MAX_VALUE);
    return lowPriority.run(() -> ingest(source, DeletePolicy.KEEP, progress));
  }

  /**
   * As {@link #ingest(Path, DeletePolicy, Progress)} for an engine that serves meanwhile: the run
   * yields the cores to requests ({@link LowPriorityWriter}), as batch upserts do. An engine that
   * serves nothing yet (start-up) or a command-line ingest runs at full priority.
   */
  public Report ingestWhileServing(Path catalogDir, DeletePolicy deletes, Progress progress) {
    return lowPriority.run(() -> ingest(catalogDir, deletes, progress));
  }

  /**
   * Commits the record that the indexed vectors are this engine's encoders' own, for an index filled
   * outside ingest from vectors those encoders made (a benchmark's synthetic listings). Without the
   * record the index counts as built before records existed: the next ingest would embed again every
   * listing it reads, metadata edits included, and retire the served model.
   */
  public void recordCurrentEncoders() {
    writer.lock();
    try {
      Map<String, String> data = new LinkedHashMap<>(index.lastCommitUserData());
      data.put(KEY_ENCODERS, encoders);
      index.commit(data);
    } finally {
      writer.unlock();
    }
  }

  /** Ids in {@code ids} deleted from the index, committed together; returns how many existed. */
  public int deleteBatch(java.util.Collection<String> ids) {
    writer.lock();
    try {
      int deleted = 0;
      for (String id : ids) {
        deleted += index.delete(id) ? 1 : 0;
      }
      index.commit(index.lastCommitUserData());
      index.refresh();
      return deleted;
    } finally {
      writer.unlock();
    }
  }

  private Report ingest(Source source, DeletePolicy deletes, Progress progress) {
    // One writer at a time: two runs would interleave rejects.jsonl and each other's checkpoints.
    writer.lock();
    try {
      return ingestLocked(source, deletes, progress);
    } finally {
      writer.unlock();
    }
  }

  private Report ingestLocked(Source source, DeletePolicy deletes, Progress progress) {
    long start = System.nanoTime();
    Path rejectsFile = config.workDir().resolve("rejects.jsonl");
    // Vectors from other encoders cannot be kept: every listing is embedded again. So is an index
    // with no record, built before the record existed; vectors loaded from Spark's Parquet output
    // (made by the same encoders, by contract of that job) are kept.
    Map<String, String> userData = index.lastCommitUserData();
    String recorded = userData.get(KEY_ENCODERS);
    boolean reembedAll = index.size() > 0
        && (recorded != null ? !recorded.equals(encoders) : !userData.containsKey(KEY_LOADED_FROM));
    String keptRecord = recorded != null ? recorded : "unknown";
    Path catalogDir = source.catalogDir();
    try (RejectLogWriter rejects = RejectLogWriter.open(rejectsFile)) {
      Read read = read(source, reembedAll, rejects);
      // Decided on the read alone, before anything is written, so the answer does not depend on
      // how embedding goes.
      List<String> missing = deletes.enabled() ? missingFromCatalog(read.inCatalog) : List.of();
      String deleteRefused = deletes.enabled() ? deleteRefusal(rejects.count(), missing.size(), index.size(), deletes) : null;
      // Before any vector changes, so that a run killed halfway never serves the old model on new vectors.
      Path retired = reembedAll ? models.retire() : null;
      long edited = applyMetadataEdits(read.edited, read.hashes);
      progress.start(read.changed.size());
      long upserted = embedAndIndex(read.changed, read.hashes, source, rejects, progress,
          reembedAll ? keptRecord : encoders);
      long deleted = 0;
      for (String id : deleteRefused == null ? missing : List.<String>of()) {
        deleted += index.delete(id) ? 1 : 0;
      }
      Map<String, String> checkpoint = new LinkedHashMap<>(index.lastCommitUserData());
      checkpoint.put(KEY_CATALOG, catalogDir.toAbsolutePath().normalize().toString());
      checkpoint.put(KEY_COMPLETE, "true");
      checkpoint.put(KEY_ENCODERS, encoders);
      index.commit(checkpoint);
      index.refresh();
      return new Report(read.report.accepted(), rejects.count(), read.unchanged, edited, upserted, deleted, index.size(),
          rejectsFile, retired, deleteRefused, System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + rejectsFile, e);
    }
  }

  /**
   * Writes listings whose embedding inputs are unchanged with the vectors already indexed. The joint
   * vector is kept as it is when the model's item inputs (attributes, price band, merchant) did not
   * change; otherwise it is recomputed with the listing's learned id part kept.
   */
  private long applyMetadataEdits(List<Listing> edited, Map<String, String> hashes) {
    Optional<JointModel> model = edited.isEmpty() ? Optional.empty() : models.current();
    long written = 0;
    for (Listing listing : edited) {
      Optional<IndexedListing> doc = index.get(listing.id());
      if (doc.isEmpty()) {
        continue; // deleted meanwhile; the next ingest embeds it as new
      }
      IndexedListing old = doc.get();
      float[] joint = old.joint();
      boolean inputsChanged = !features.modelAttributes(old.listing()).equals(features.modelAttributes(listing));
      if (model.isPresent() && (joint == null || inputsChanged)) {
        joint = model.get().itemVectorKeepingId(features.of(listing, old.image(), old.text()));
      }
      index.upsert(new IndexedListing(listing, hashes.get(listing.id()), old.image(), old.text(), joint));
      written++;
    }
    return written;
  }

  /** What the read phase found: the listings to embed (with their content hashes) and every accepted id. */
  private static final class Read {
    final List<Listing> changed = new ArrayList<>();
    final List<Listing> edited = new ArrayList<>();
    final Map<String, String> hashes = new HashMap<>();
    final Set<String> inCatalog = new HashSet<>();
    long unchanged;
    ReadReport report;
  }

  private Read read(Source source, boolean reembedAll, RejectLogWriter rejects) {
    Read read = new Read();
    Path listingsFile = source.listings();
    read.report = reader.readListings(listingsFile, source.images(), listing -> {
      read.inCatalog.add(listing.id());
      String full;
      String embedding;
      try {
        full = ListingContentHash.of(listing, source.imageBase());
        embedding = ListingContentHash.ofEmbeddingInputs(listing, source.imageBase());
      } catch (IOException e) {
        rejects.accept(new RecordError(listingsFile.toString(), 0, listing.id(), "images", e.getMessage()));
        return;
      }
      String stored = reembedAll ? null : index.contentHash(listing.id()).orElse(null);
      if (stored != null && ListingContentHash.fullPart(stored).equals(full)) {
        read.unchanged++;
        return;
      }
      read.hashes.put(listing.id(), ListingContentHash.combined(full, embedding));
      if (stored != null && embedding.equals(ListingContentHash.embeddingPart(stored))) {
        read.edited.add(listing);
      } else {
        read.changed.add(listing);
      }
    }, rejects);
    return read;
  }

  private List<String> missingFromCatalog(Set<String> inCatalog) {
    List<String> missing = new ArrayList<>();
    for (String id : index.ids()) {
      if (!inCatalog.contains(id)) {
        missing.add(id);
      }
    }
    return missing;
  }

  /** Why the listings missing from the catalog must stay, or null when they may go. Package-private for tests. */
  static String deleteRefusal(long rejected, int missing, int indexed, DeletePolicy policy) {
    if (missing == 0) {
      return null;
    }
    if (rejected > 0) {
      return String.format(Locale.ROOT, "%,d indexed listings are not among the accepted ones, but the read rejected %,d records "
          + "(see rejects.jsonl), and a rejected listing is not a listing that left the catalog; nothing was deleted. "
          + "Fix or remove the rejected records and ingest again", missing, rejected);
    }
    if (missing > policy.maxShare() * indexed) {
      return String.format(Locale.ROOT, "it would delete %,d of the %,d indexed listings (%.1f%%, over the %.0f%% limit); "
          + "nothing was deleted. If the catalog really lost them, ingest again with --max-delete-share %.2f",
          missing, indexed, 100.0 * missing / indexed, 100 * policy.maxShare(), Math.min(1.0, Math.ceil(100.0 * missing / indexed) / 100));
    }
    return null;
  }

  private long embedAndIndex(List<Listing> changed, Map<String, String> hashes, Source source, RejectLogWriter rejects,
      Progress progress, String recordedEncoders) {
    Path base = source.imageBase();
    Path catalogDir = source.catalogDir();
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
      // A listing the model was trained on keeps its learned id part; a new one gets content only.
      float[] joint = model.map(m -> m.itemVectorKeepingId(features.of(listing, e.image(), e.text()))).orElse(null);
      index.upsert(new IndexedListing(listing, hashes.get(e.id()), e.image(), e.text(), joint));
      if (++written[0] % source.commitEvery() == 0) {
        index.commit(checkpoint(catalogDir, written[0], recordedEncoders));
        writer.publishSoFar();
      }
    }, rejects, progress::advanceTo);
    if (source.commitEvery() == COMMIT_EVERY) {
      index.commit(checkpoint(catalogDir, written[0], recordedEncoders));
    }
    return written[0];
  }

  /**
   * A mid-ingest commit. While re-embedding for new encoders it keeps the old record (or "unknown"),
   * so a run killed halfway still sees a mismatch when it resumes and re-embeds the rest; otherwise
   * it records the current encoders.
   */
  private Map<String, String> checkpoint(Path catalogDir, long written, String recordedEncoders) {
    // Starts from the last commit's data so the model generation it names stays named.
    Map<String, String> data = new LinkedHashMap<>(index.lastCommitUserData());
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
