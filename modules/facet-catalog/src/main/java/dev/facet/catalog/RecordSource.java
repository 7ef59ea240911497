package dev.facet.catalog;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of raw records from one file. After {@link #next()} returns true, either {@link
 * #fields()} holds the record or {@link #error()} says why the record is unreadable as a whole
 * (bad bytes, broken JSON, broken CSV quoting). With an error, {@link #fields()} may still hold a
 * best-effort reading of the record, for naming it (its id) in the reject only.
 */
interface RecordSource extends Closeable {
  boolean next() throws IOException;

  /** 1-based line where the current record starts. */
  long line();

  RecordFields fields();

  /** Whole-record error of the current record, or null. */
  FieldException error();

  /** True when the source cannot go on (for example a CSV header lacking required columns). */
  default boolean fatal() {
    return false;
  }
}
