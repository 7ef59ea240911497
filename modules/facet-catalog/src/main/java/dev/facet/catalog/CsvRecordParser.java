package dev.facet.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, one record fed a physical line at a time: comma-separated, fields optionally in
 * double quotes, {@code ""} inside quotes for a quote, a quoted field may span lines. The state is
 * kept between lines, so a record of n characters costs O(n) however many lines it spans
 * (re-parsing the growing record from its start at every line was quadratic). A quote inside an
 * unquoted field is an ordinary character. One instance per record; not thread-safe.
 */
final class CsvRecordParser {
  private enum State { CELL_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

  private final List<String> cells = new ArrayList<>();
  /** Offset in the record (line breaks counted as one character) where each cell starts. */
  private final List<Integer> starts = new ArrayList<>();
  private final StringBuilder cell = new StringBuilder();
  private State state = State.CELL_START;
  private int chars;
  private int lines;
  private int openQuoteColumn;

  /**
   * Feeds the next physical line of the record, without its terminator.
   *
   * @return true when the record is complete, false when a quoted field is still open
   * @throws FieldException when a closing quote is followed by anything but a comma
   */
  boolean feed(String line) throws FieldException {
    if (lines++ > 0) {
      cell.append('\n');
      chars++;
    }
    for (int i = 0; i < line.length(); i++, chars++) {
      step(line.charAt(i));
    }
    if (state == State.QUOTED) {
      return false;
    }
    if (state == State.CELL_START) {
      starts.add(chars);
    }
    endCell();
    return true;
  }

  private void step(char c) throws FieldException {
    switch (state) {
      case CELL_START -> {
        starts.add(chars);
        if (c == '"') {
          openQuoteColumn = cells.size() + 1;
          state = State.QUOTED;
        } else if (c == ',') {
          endCell();
        } else {
          cell.append(c);
          state = State.UNQUOTED;
        }
      }
      case UNQUOTED -> {
        if (c == ',') {
          endCell();
        } else {
          cell.append(c);
        }
      }
      case QUOTED -> {
        if (c == '"') {
          state = State.QUOTE_IN_QUOTED;
        } else {
          cell.append(c);
        }
      }
      case QUOTE_IN_QUOTED -> {
        if (c == '"') {
          cell.append('"');
          state = State.QUOTED;
        } else if (c == ',') {
          endCell();
        } else {
          throw new FieldException(null, "malformed CSV: text after closing quote at column " + (cells.size() + 1));
        }
      }
    }
  }

  private void endCell() {
    cells.add(cell.toString());
    cell.setLength(0);
    state = State.CELL_START;
  }

  /** The cells of a complete record. */
  List<String> cells() {
    return cells;
  }

  /** Characters fed so far, line breaks included. */
  int chars() {
    return chars;
  }

  /** Physical lines fed so far. */
  int lines() {
    return lines;
  }

  /** 1-based column of the quoted field that is open (or was opened last). */
  int openQuoteColumn() {
    return openQuoteColumn;
  }

  /** 1-based column holding character {@code offset} of the record. */
  int columnAt(int offset) {
    int column = 0;
    while (column < starts.size() && starts.get(column) <= offset) {
      column++;
    }
    return Math.max(1, column);
  }
}
