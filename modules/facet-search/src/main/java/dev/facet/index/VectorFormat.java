package dev.facet.index;

/** How vectors are encoded in the HNSW graph of every vector field. */
public enum VectorFormat {
  /** Full-precision float32 HNSW ({@code Lucene99HnswVectorsFormat}). */
  FLOAT(0),
  /** 8-bit scalar-quantized HNSW ({@code Lucene104HnswScalarQuantizedVectorsFormat}, unsigned byte). */
  INT8(8),
  /** 4-bit scalar-quantized HNSW ({@code Lucene104HnswScalarQuantizedVectorsFormat}, packed nibble). */
  INT4(4);

  private final int bits;

  VectorFormat(int bits) {
    this.bits = bits;
  }

  /** Bits per dimension of the quantized copy, 0 for full precision. */
  public int bits() {
    return bits;
  }

  /** Whether search scores come from quantized vectors (and are re-scored on the raw floats). */
  public boolean quantized() {
    return bits != 0;
  }
}
