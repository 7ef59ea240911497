package dev.facet.catalog;

import java.util.List;

/**
 * Typed access to one raw record, whatever its file format. Absent, null and (for CSV) empty values
 * all read as null. Each accessor throws {@link FieldException} naming the field when the value has
 * the wrong type.
 */
interface RecordFields {
  /** Field names present in the record, in source order. */
  List<String> names();

  String text(String field) throws FieldException;

  /** A text value; JSON integers are accepted too since numeric ids are common (Taobao). */
  String id(String field) throws FieldException;

  Double number(String field) throws FieldException;

  Long integer(String field) throws FieldException;

  Boolean bool(String field) throws FieldException;

  /** A list of strings; CSV cells are split on {@code |} or {@code ;}. */
  List<String> textList(String field) throws FieldException;

  /** The value as plain Java data (String, Number, Boolean, List, Map), or null. */
  Object raw(String field);

  static FieldException wrongType(String field, String expected, String actual) {
    return new FieldException(field, "wrong type: expected " + expected + ", got " + actual);
  }
}
