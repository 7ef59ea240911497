package dev.facet.catalog;

import dev.facet.core.RecordError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Accepted records and rejects of one read, for assertions. */
final class Collected<T> {
  final List<T> accepted = new ArrayList<>();
  final List<RecordError> rejected = new ArrayList<>();
  ReadReport report;

  Consumer<T> ok() {
    return accepted::add;
  }

  Consumer<RecordError> bad() {
    return rejected::add;
  }

  RecordError only() {
    if (rejected.size() != 1) {
      throw new AssertionError("expected exactly one reject, got " + rejected);
    }
    return rejected.get(0);
  }
}
