package dev.facet.index;

import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The default Lucene 10.4+ codec with the HNSW parameters and encoding of {@link IndexSettings} for every
 * vector field. Each segment records the per-field format name, so indexes written with this codec are read
 * back by the default codec through SPI (no custom codec name to register).
 */
final class CatalogCodec extends Lucene104Codec {
  private final KnnVectorsFormat vectors;

  /**
   * @param mergeExec executor of the concurrent HNSW merge, or null for single-threaded merges; owned by the
   *     caller
   */
  CatalogCodec(IndexSettings settings, ExecutorService mergeExec) {
    this.vectors = vectorsFormat(settings, mergeExec);
  }

  static KnnVectorsFormat vectorsFormat(IndexSettings s, ExecutorService mergeExec) {
    int workers = mergeExec == null ? 1 : s.mergeThreads();
    ExecutorService exec = workers > 1 ? mergeExec : null;
    return switch (s.format()) {
      case FLOAT -> new Lucene99HnswVectorsFormat(s.maxConn(), s.beamWidth(), workers, exec);
      case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(
          ScalarEncoding.UNSIGNED_BYTE, s.maxConn(), s.beamWidth(), workers, exec);
      case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(
          ScalarEncoding.PACKED_NIBBLE, s.maxConn(), s.beamWidth(), workers, exec);
    };
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return vectors;
  }
}
