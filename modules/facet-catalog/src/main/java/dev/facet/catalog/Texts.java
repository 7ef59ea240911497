package dev.facet.catalog;

/**
 * Character-level rules for text read from a catalog. Control characters have no place in ids,
 * titles or paths (a NUL ends the string for C code and is illegal in a file name; BEL, ESC and
 * the rest drive terminals), and an unpaired surrogate (legal in a JSON escape) is not text at all:
 * it cannot be encoded as UTF-8 and would reach the index as a replacement character.
 */
final class Texts {
  private Texts() {}

  /** Index of the first C0/C1 control character or DEL in {@code s}, or -1. */
  static int firstControl(String s) {
    return firstControl(s, false);
  }

  /**
   * Index of the first control character in {@code s}, or -1.
   *
   * @param allowLayout whether tab, line feed and carriage return are allowed (free text)
   */
  static int firstControl(String s, boolean allowLayout) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && !(allowLayout && (c == '\t' || c == '\n' || c == '\r'))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Index of the first character of {@code s} that may not appear in an id, or -1: ids are printed,
   * logged, put in URLs and compared byte for byte, so no control, format (zero-width, bidi
   * override), separator, private-use character or unpaired surrogate.
   */
  static int firstIllegalInId(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** Index of the first unpaired surrogate in {@code s}, or -1. */
  static int firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        if (!paired(s, i)) {
          return i;
        }
        i++;
      }
    }
    return -1;
  }

  private static boolean paired(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
  }

  /** Length in Unicode code points, counting only as far as needed to compare with {@code max}. */
  static boolean longerThan(String s, int max) {
    return s.length() > max && s.codePointCount(0, s.length()) > max;
  }

  /** {@code U+0007} for the character at {@code i}. */
  static String codePoint(String s, int i) {
    return String.format(java.util.Locale.ROOT, "U+%04X", s.codePointAt(i));
  }

  /**
   * {@code s} made safe to print in a reject: control and format characters and unpaired surrogates
   * as {@code \}{@code uXXXX} escapes, cut to {@code max} characters with an ellipsis.
   */
  static String printable(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
    int i = 0;
    while (i < s.length() && sb.length() < max) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04X", cp));
      } else {
        sb.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    if (i < s.length()) {
      sb.append('…');
    }
    return sb.toString();
  }
}
