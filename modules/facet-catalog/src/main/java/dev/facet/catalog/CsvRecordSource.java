package dev.facet.catalog;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV with a header row. Header names are trimmed and lower-cased and must include the caller's
 * required columns; a row with a different number of cells than the header is rejected.
 *
 * <p>A quoted field may span lines, but one stray quote must not swallow the rest of the file: a
 * record whose quote is still open after {@link #MAX_RECORD_LINES} lines or {@link
 * #MAX_RECORD_CHARS} characters, or at the end of the file, is rejected on the line where it starts,
 * and reading resumes on the next line, so the rows after the stray quote are read as rows. The
 * lines read ahead are kept (at most those limits) and read again; once a record failed to close,
 * every later line in that window closes by itself (an unclosed record means an odd count of quote
 * characters from its start to every later line), so the total work stays linear in the file size.
 * Any other record spanning lines that turns out malformed is rejected and resumed the same way.
 */
final class CsvRecordSource extends LineRecordSource {
  /** Longest record, in characters, line breaks included. */
  static final int MAX_RECORD_CHARS = 1 << 20;
  /** Most physical lines in one record. */
  static final int MAX_RECORD_LINES = 1_000;

  /** One physical line; {@code text} is null when unreadable, and replacement-decoded when {@code error} is set. */
  private record PhysicalLine(long number, String text, String error, int errorChar) {}

  private final List<String> required;
  /** Lines read ahead while looking for the end of a record that turned out malformed, to be read again. */
  private final ArrayDeque<PhysicalLine> replay = new ArrayDeque<>();
  private List<String> header;
  private Map<String, Integer> columns;
  private long line;
  private boolean fatal;

  CsvRecordSource(Utf8LineReader lines, List<String> required) {
    super(lines);
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
      PhysicalLine first = nextLine();
      if (first == null) {
        return false;
      }
      line = first.number();
      if (first.text() == null) {
        error = new FieldException(null, first.error());
        fatal = header == null;
        return true;
      }
      if (first.error() == null && first.text().isBlank()) {
        continue;
      }
      if (record(first)) {
        return true;
      }
    }
  }

  private PhysicalLine nextLine() throws IOException {
    if (!replay.isEmpty()) {
      return replay.pollFirst();
    }
    if (!lines.next()) {
      return null;
    }
    return lines.error() == null
        ? new PhysicalLine(lines.lineNumber(), lines.text(), null, -1)
        : new PhysicalLine(lines.lineNumber(), lines.repaired(), lines.error(), lines.errorChar());
  }

  /** Reads the record starting on {@code first}; false when it was the header row. */
  private boolean record(PhysicalLine first) throws IOException {
    CsvRecordParser parser = new CsvRecordParser();
    List<PhysicalLine> more = new ArrayList<>();
    try {
      if (!readAll(parser, first, more)) {
        fields = partial(parser);
        return true;
      }
    } catch (FieldException e) {
      error = e;
      fatal = header == null;
      fields = partial(parser);
      // A malformed record's extent is a guess: the lines after its first are read again as records.
      replayFirst(more);
      return true;
    }
    PhysicalLine bad = first.error() != null ? first : more.stream().filter(l -> l.error() != null).findFirst().orElse(null);
    if (header == null) {
      if (bad != null) {
        error = new FieldException(null, bad.error() + " in the header row");
        fatal = true;
        return true;
      }
      return !acceptHeader(parser.cells());
    }
    List<String> cells = parser.cells();
    fields = new CsvRecordFields(header, columns, cells);
    if (bad != null) {
      String where = bad == first ? "" : " (line " + bad.number() + ", inside a quoted field opened on line " + first.number() + ")";
      error = new FieldException(columnName(parser.columnAt(offsetInRecord(first, more, bad))), bad.error() + where);
    } else if (cells.size() != header.size()) {
      error = new FieldException(null, "malformed CSV: expected " + header.size() + " columns, got " + cells.size());
    }
    return true;
  }

  /** The cells read so far of a malformed record, for its id only. */
  private RecordFields partial(CsvRecordParser parser) {
    return header == null ? null : new CsvRecordFields(header, columns, List.copyOf(parser.cells()));
  }

  /**
   * Feeds lines until the record closes, collecting the lines after the first into {@code more}.
   *
   * @return false when the record never closes; {@link #error} then says why and the collected
   *     lines are queued to be read again
   */
  private boolean readAll(CsvRecordParser parser, PhysicalLine first, List<PhysicalLine> more) throws IOException, FieldException {
    if (parser.feed(first.text())) {
      return true;
    }
    while (true) {
      PhysicalLine next = nextLine();
      String stop = stop(parser, next);
      if (stop != null) {
        if (next != null) {
          more.add(next);
        }
        int column = parser.openQuoteColumn();
        error = new FieldException(columnName(column), "malformed CSV: unterminated quoted field (opened in column " + column
            + " on this line, no closing quote " + stop + "); reading resumes on the next line");
        fatal = header == null;
        replayFirst(more);
        return false;
      }
      more.add(next);
      if (parser.feed(next.text())) {
        return true;
      }
    }
  }

  /** Why a record with an open quote cannot take {@code next} as its next line, or null when it can. */
  private static String stop(CsvRecordParser parser, PhysicalLine next) {
    if (next == null) {
      return "before the end of the file";
    }
    if (next.text() == null) {
      return "before line " + next.number() + " (" + next.error() + ")";
    }
    if (parser.lines() >= MAX_RECORD_LINES) {
      return "within " + MAX_RECORD_LINES + " lines";
    }
    if (parser.chars() + 1L + next.text().length() > MAX_RECORD_CHARS) {
      return "within " + MAX_RECORD_CHARS + " characters";
    }
    return null;
  }

  private static int offsetInRecord(PhysicalLine first, List<PhysicalLine> more, PhysicalLine bad) {
    if (bad == first) {
      return bad.errorChar();
    }
    int offset = first.text().length() + 1;
    for (PhysicalLine l : more) {
      if (l == bad) {
        return offset + bad.errorChar();
      }
      offset += l.text().length() + 1;
    }
    throw new IllegalStateException("line " + bad.number() + " is not part of the record");
  }

  private String columnName(int column) {
    return header != null && column >= 1 && column <= header.size() ? header.get(column - 1) : null;
  }

  private void replayFirst(List<PhysicalLine> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      replay.addFirst(lines.get(i));
    }
  }

  /** Takes the header row; false (with {@link #error} set and the source fatal) when it lacks a required column. */
  private boolean acceptHeader(List<String> cells) {
    setHeader(cells);
    for (String r : required) {
      if (!columns.containsKey(r)) {
        error = new FieldException(r, "CSV header lacks required column '" + r + "' (header: " + String.join(",", header) + ")");
        fatal = true;
        return false;
      }
    }
    return true;
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
  public boolean fatal() {
    return fatal;
  }
}
