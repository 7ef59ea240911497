package dev.facet.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, {@code ""} inside quotes for a
 * quote. A quoted field may span lines; the caller then appends the next line and parses again.
 */
final class CsvLineParser {
  private CsvLineParser() {}

  /**
   * Splits {@code record} into cells.
   *
   * @return the cells, or null when a quoted field is still open at the end (more lines needed)
   * @throws FieldException when a quoted field is followed by anything but a comma
   */
  static List<String> parse(String record) throws FieldException {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    int n = record.length();
    while (true) {
      cell.setLength(0);
      if (i < n && record.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = record.charAt(i++);
          if (c == '"') {
            if (i < n && record.charAt(i) == '"') {
              cell.append('"');
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            cell.append(c);
          }
        }
        if (!closed) {
          return null;
        }
        if (i < n && record.charAt(i) != ',') {
          throw new FieldException(null, "malformed CSV: text after closing quote at column " + (cells.size() + 1));
        }
      } else {
        while (i < n && record.charAt(i) != ',') {
          cell.append(record.charAt(i++));
        }
      }
      cells.add(cell.toString());
      if (i >= n) {
        return cells;
      }
      i++; // the comma
    }
  }
}
