package dev.facet.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV with a header row. Header names are trimmed and lower-cased and must include the caller's
 * required columns; a row with a different number of cells than the header is rejected.
 */
final class CsvRecordSource implements RecordSource {
  private final Utf8LineReader lines;
  private final List<String> required;
  private List<String> header;
  private Map<String, Integer> columns;
  private long line;
  private RecordFields fields;
  private FieldException error;
  private boolean fatal;

  CsvRecordSource(Utf8LineReader lines, List<String> required) {
    this.lines = lines;
    this.required = required;
  }

  /** A source whose column names are given instead of read from the first row. */
  static CsvRecordSource headerless(Utf8LineReader lines, List<String> header) {
    CsvRecordSource source = new CsvRecordSource(lines, List.of());
    source.setHeader(header);
    return source;
  }

  private void setHeader(List<String> names) {
    header = new ArrayList<>(names.size());
    columns = new HashMap<>();
    for (String name : names) {
      String clean = name.trim().toLowerCase(Locale.ROOT);
      columns.putIfAbsent(clean, header.size());
      header.add(clean);
    }
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      fields = null;
      error = null;
      if (fatal) {
        return false;
      }
      if (!lines.next()) {
        return false;
      }
      line = lines.lineNumber();
      if (lines.error() != null) {
        error = new FieldException(null, lines.error());
        if (header == null) {
          fatal = true;
        }
        return true;
      }
      String text = lines.text();
      if (text.isBlank()) {
        continue;
      }
      List<String> cells;
      try {
        cells = readCells(text);
      } catch (FieldException e) {
        error = e;
        fatal = header == null;
        return true;
      }
      if (cells == null) {
        error = new FieldException(null, "malformed CSV: unterminated quoted field");
        return true;
      }
      if (header == null) {
        setHeader(cells);
        for (String r : required) {
          if (!columns.containsKey(r)) {
            error = new FieldException(r, "CSV header lacks required column '" + r + "' (header: " + String.join(",", header) + ")");
            fatal = true;
            return true;
          }
        }
        continue;
      }
      if (cells.size() != header.size()) {
        error = new FieldException(null, "malformed CSV: expected " + header.size() + " columns, got " + cells.size());
        return true;
      }
      fields = new CsvRecordFields(header, columns, cells);
      return true;
    }
  }

  /** Parses one record, pulling further physical lines while a quoted field is open. */
  private List<String> readCells(String first) throws IOException, FieldException {
    String record = first;
    List<String> cells = CsvLineParser.parse(record);
    while (cells == null) {
      if (!lines.next()) {
        return null;
      }
      if (lines.error() != null) {
        throw new FieldException(null, lines.error() + " (line " + lines.lineNumber() + ", inside a quoted field opened on line " + line + ")");
      }
      if (record.length() + lines.text().length() > Utf8LineReader.MAX_LINE_BYTES) {
        throw new FieldException(null, "malformed CSV: quoted field longer than " + Utf8LineReader.MAX_LINE_BYTES + " characters");
      }
      record = record + "\n" + lines.text();
      cells = CsvLineParser.parse(record);
    }
    return cells;
  }

  /** The header read from the file (lower-case), or null before the first record. */
  List<String> header() {
    return header;
  }

  @Override
  public long line() {
    return line;
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
  public boolean fatal() {
    return fatal;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
