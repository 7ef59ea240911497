package dev.facet.catalog;

import java.io.IOException;
import java.util.List;

/**
 * The Taobao User Behavior CSV ({@code user_id,item_id,category_id,behavior_type,timestamp}, epoch
 * seconds), with or without a header row. Columns are exposed under Facet's interaction names
 * ({@code user,item,category_id,event,ts}) so one parser serves both layouts.
 */
final class TaobaoRecordSource implements RecordSource {
  static final List<String> COLUMNS = List.of("user", "item", "category_id", "event", "ts");

  private final CsvRecordSource csv;
  private boolean first = true;

  TaobaoRecordSource(Utf8LineReader lines) {
    this.csv = CsvRecordSource.headerless(lines, COLUMNS);
  }

  /** True when the first cells of a line name the Taobao columns or look like a Taobao row. */
  static boolean looksLikeTaobao(String firstLine) {
    String lower = firstLine.trim().toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("user_id,item_id,category_id,behavior_type")) {
      return true;
    }
    return lower.matches("\\d+,\\d+,\\d+,(pv|fav|cart|buy),\\d+");
  }

  @Override
  public boolean next() throws IOException {
    while (csv.next()) {
      if (first) {
        first = false;
        RecordFields f = csv.fields();
        if (f != null && "user_id".equals(f.raw("user"))) {
          continue;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public long line() {
    return csv.line();
  }

  @Override
  public RecordFields fields() {
    return csv.fields();
  }

  @Override
  public FieldException error() {
    return csv.error();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
