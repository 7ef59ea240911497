package dev.facet.index;

/**
 * The vector fields of a {@link CatalogIndex} document.
 *
 * <p>{@link #IMAGE} and {@link #TEXT} hold unit-length encoder outputs compared with the dot product
 * (equal to cosine on unit vectors). {@link #FUSED} is the concatenation {@code [image/√2 ; text/√2]},
 * again unit length, whose dot product with another fused vector is the mean of the image cosine and
 * the text cosine; concatenation (rather than an average of the two vectors) is used because the
 * image and text spaces are not aligned, so cross terms image·text would be noise. {@link #JOINT} is the
 * item vector of the trained joint model, compared with maximum inner product (scores {@code u·v}).
 */
public enum VectorField {
  /** Image encoder output, unit length, dot product. */
  IMAGE("image"),
  /** Text encoder output, unit length, dot product. */
  TEXT("text"),
  /** {@code [image/√2 ; text/√2]}, present when both image and text are, dot product. */
  FUSED("fused"),
  /** Joint-model item vector, any length, maximum inner product. */
  JOINT("joint");

  private final String fieldName;

  VectorField(String fieldName) {
    this.fieldName = fieldName;
  }

  /** The Lucene field name. */
  public String fieldName() {
    return fieldName;
  }
}
