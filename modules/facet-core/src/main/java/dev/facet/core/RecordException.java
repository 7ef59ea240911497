package dev.facet.core;

/**
 * A bad input record, carrying its location so callers can report it and go on with the batch.
 */
public final class RecordException extends FacetException {
  private static final long serialVersionUID = 1L;
  private final transient RecordError error;

  public RecordException(RecordError error) {
    super(error.toString());
    this.error = error;
  }

  public RecordException(RecordError error, Throwable cause) {
    super(error.toString(), cause);
    this.error = error;
  }

  /** Where and why the record was rejected. */
  public RecordError error() {
    return error;
  }
}
