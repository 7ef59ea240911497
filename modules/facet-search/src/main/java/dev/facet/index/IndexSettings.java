package dev.facet.index;

import java.util.Objects;

/**
 * Per-index configuration of a {@link CatalogIndex}.
 *
 * @param imageDims dimension of {@link VectorField#IMAGE} vectors
 * @param textDims dimension of {@link VectorField#TEXT} vectors
 * @param jointDims dimension of {@link VectorField#JOINT} vectors
 * @param format HNSW vector encoding for all vector fields
 * @param maxConn HNSW max connections per node (Lucene default 16)
 * @param beamWidth HNSW candidate list size at build time (Lucene default 100)
 * @param mergeThreads threads of the concurrent HNSW merge (and of the merge scheduler)
 * @param overFetch a KNN search of {@code k} asks HNSW for {@code k * overFetch} candidates and keeps the
 *     best {@code k}; raises recall at some latency cost (1 = no over-fetch)
 * @param ramBufferMb indexing RAM buffer before a segment is flushed
 * @param refreshMillis longest time before an upsert becomes visible to searches without a commit
 */
public record IndexSettings(
    int imageDims,
    int textDims,
    int jointDims,
    VectorFormat format,
    int maxConn,
    int beamWidth,
    int mergeThreads,
    int overFetch,
    double ramBufferMb,
    long refreshMillis) {

  /** Lucene's limit on vector dimensions per field (also bounds {@code imageDims + textDims}). */
  public static final int MAX_DIMS = 1024;

  public IndexSettings {
    Objects.requireNonNull(format, "format");
    checkRange("imageDims", imageDims, 1, MAX_DIMS);
    checkRange("textDims", textDims, 1, MAX_DIMS);
    checkRange("jointDims", jointDims, 1, MAX_DIMS);
    if (imageDims + textDims > MAX_DIMS) {
      throw new IllegalArgumentException("imageDims + textDims (the fused vector) must be <= " + MAX_DIMS
          + ", got " + imageDims + " + " + textDims);
    }
    checkRange("maxConn", maxConn, 2, 512);
    checkRange("beamWidth", beamWidth, 2, 3200);
    checkRange("mergeThreads", mergeThreads, 1, 64);
    checkRange("overFetch", overFetch, 1, 100);
    if (!(ramBufferMb >= 1 && ramBufferMb <= 2047)) {
      throw new IllegalArgumentException("ramBufferMb must be in [1, 2047], got " + ramBufferMb);
    }
    if (refreshMillis < 1 || refreshMillis > 60_000) {
      throw new IllegalArgumentException("refreshMillis must be in [1, 60000], got " + refreshMillis);
    }
  }

  /**
   * Defaults for the given dimensions: float HNSW, maxConn 16, beamWidth 100, 2 merge threads,
   * over-fetch 5, 256 MB RAM buffer, refresh within 500 ms.
   */
  public static IndexSettings defaults(int imageDims, int textDims, int jointDims) {
    return new IndexSettings(imageDims, textDims, jointDims, VectorFormat.FLOAT, 16, 100, 2, 5, 256, 500);
  }

  /** Dimension of {@link VectorField#FUSED}: {@code imageDims + textDims}. */
  public int fusedDims() {
    return imageDims + textDims;
  }

  /** Dimension of the given vector field. */
  public int dims(VectorField field) {
    return switch (field) {
      case IMAGE -> imageDims;
      case TEXT -> textDims;
      case FUSED -> fusedDims();
      case JOINT -> jointDims;
    };
  }

  public IndexSettings withFormat(VectorFormat value) {
    return new IndexSettings(imageDims, textDims, jointDims, value, maxConn, beamWidth, mergeThreads, overFetch,
        ramBufferMb, refreshMillis);
  }

  public IndexSettings withHnsw(int newMaxConn, int newBeamWidth) {
    return new IndexSettings(imageDims, textDims, jointDims, format, newMaxConn, newBeamWidth, mergeThreads,
        overFetch, ramBufferMb, refreshMillis);
  }

  public IndexSettings withOverFetch(int value) {
    return new IndexSettings(imageDims, textDims, jointDims, format, maxConn, beamWidth, mergeThreads, value,
        ramBufferMb, refreshMillis);
  }

  public IndexSettings withRamBufferMb(double value) {
    return new IndexSettings(imageDims, textDims, jointDims, format, maxConn, beamWidth, mergeThreads, overFetch,
        value, refreshMillis);
  }

  public IndexSettings withRefreshMillis(long value) {
    return new IndexSettings(imageDims, textDims, jointDims, format, maxConn, beamWidth, mergeThreads, overFetch,
        ramBufferMb, value);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }
}
