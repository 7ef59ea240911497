package dev.facet.catalog;

/** A record field that is missing or wrong; converted to a {@code RecordError} by the reader. */
final class FieldException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  FieldException(String field, String reason) {
    super(reason, null, false, false);
    this.field = field;
  }

  /** The offending field, or null when the record as a whole is wrong. */
  String field() {
    return field;
  }

  String reason() {
    return getMessage();
  }
}
