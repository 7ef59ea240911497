package dev.facet.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** {@link RecordFields} over one CSV row; every cell is text and converted on access. */
final class CsvRecordFields implements RecordFields {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[|;]");

  private final List<String> header;
  private final Map<String, Integer> columns;
  private final List<String> cells;

  CsvRecordFields(List<String> header, Map<String, Integer> columns, List<String> cells) {
    this.header = header;
    this.columns = columns;
    this.cells = cells;
  }

  @Override
  public List<String> names() {
    return header;
  }

  private String get(String field) {
    Integer i = columns.get(field);
    if (i == null || i >= cells.size()) {
      return null;
    }
    String v = cells.get(i).strip();
    return v.isEmpty() ? null : v;
  }

  @Override
  public String text(String field) {
    return get(field);
  }

  @Override
  public String id(String field) {
    return get(field);
  }

  @Override
  public Double number(String field) throws FieldException {
    String v = get(field);
    if (v == null) {
      return null;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("nan") || lower.endsWith("infinity") || lower.endsWith("inf")) {
      return Double.NaN; // the caller reports non-finite numbers with its own wording
    }
    if (!DECIMAL.matcher(v).matches()) {
      throw RecordFields.wrongType(field, "number", "'" + v + "'");
    }
    return Double.parseDouble(v);
  }

  @Override
  public Long integer(String field) throws FieldException {
    String v = get(field);
    if (v == null) {
      return null;
    }
    if (!INTEGER.matcher(v).matches()) {
      throw RecordFields.wrongType(field, "integer", "'" + v + "'");
    }
    return Long.parseLong(v);
  }

  @Override
  public Boolean bool(String field) throws FieldException {
    String v = get(field);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "y" -> true;
      case "false", "0", "no", "n" -> false;
      default -> throw RecordFields.wrongType(field, "boolean", "'" + v + "'");
    };
  }

  @Override
  public List<String> textList(String field) {
    String v = get(field);
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String part : LIST_SEPARATOR.split(v, -1)) {
      out.add(part.strip());
    }
    return out;
  }

  @Override
  public Object raw(String field) {
    return get(field);
  }
}
