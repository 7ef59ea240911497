package dev.facet.catalog;

import java.io.IOException;

/** What the CSV and JSON Lines sources share: the line reader they own and the current record's fields or error. */
abstract class LineRecordSource implements RecordSource {
  final Utf8LineReader lines;
  /** Fields of the current record; null when it could not be split into fields. */
  RecordFields fields;
  /** Whole-record error of the current record, or null. */
  FieldException error;

  LineRecordSource(Utf8LineReader lines) {
    this.lines = lines;
  }

  @Override
  public RecordFields fields() {
    return fields;
  }

  @Override
  public FieldException error() {
    return error;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
