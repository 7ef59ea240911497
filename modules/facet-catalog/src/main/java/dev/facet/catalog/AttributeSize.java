package dev.facet.catalog;

import java.util.List;
import java.util.Map;

/**
 * Bounds a stored attribute (an unknown field of a listing, kept as plain Java data): its text size
 * summed over nested lists and maps, and its nesting depth. Every attribute is stored with the
 * listing in the index and returned with it, so an unbounded one would bloat both.
 */
final class AttributeSize {
  static final int MAX_DEPTH = 8;

  private int budget;

  private AttributeSize(int budget) {
    this.budget = budget;
  }

  /**
   * @throws FieldException naming {@code field} when {@code value} holds more than {@code maxChars}
   *     characters of text, is nested deeper than {@link #MAX_DEPTH}, or holds text with control
   *     characters or unpaired surrogates
   */
  static void check(Object value, String field, int maxChars) throws FieldException {
    new AttributeSize(maxChars).visit(value, field, 0);
  }

  private void visit(Object value, String field, int depth) throws FieldException {
    if (depth > MAX_DEPTH) {
      throw new FieldException(field, "attribute nested deeper than " + MAX_DEPTH + " levels");
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        take(String.valueOf(e.getKey()), field);
        visit(e.getValue(), field, depth + 1);
      }
    } else if (value instanceof List<?> list) {
      spend(list.size() + 1, field);
      for (Object element : list) {
        visit(element, field, depth + 1);
      }
    } else if (value instanceof String text) {
      take(text, field);
    } else if (value != null) {
      spend(String.valueOf(value).length(), field);
    }
  }

  private void take(String text, String field) throws FieldException {
    spend(text.length(), field);
    ListingParser.text(text, field, Integer.MAX_VALUE, true);
  }

  private void spend(int chars, String field) throws FieldException {
    budget -= chars;
    if (budget < 0) {
      throw new FieldException(field, "attribute too large (over " + ListingParser.MAX_ATTRIBUTE_CHARS + " characters with its name)");
    }
  }
}
