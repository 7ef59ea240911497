package dev.facet.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a byte stream one line at a time and decodes each line with a strict UTF-8 decoder, so a
 * line with malformed bytes is reported (with the byte offset) instead of being silently repaired
 * with U+FFFD the way {@code BufferedReader} would. Memory is bounded by {@link #MAX_LINE_BYTES}
 * whatever the file size: longer lines are skipped and reported.
 *
 * <p>Line terminators are {@code \n} and {@code \r\n}; a UTF-8 byte-order mark on the first line is
 * dropped. Not thread-safe.
 */
final class Utf8LineReader implements Closeable {
  static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[1024];
  private int lineLength;
  private CharBuffer chars = CharBuffer.allocate(1024);
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  private final CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);

  private long lineNumber;
  private String text;
  private String error;
  private String repaired;
  private int errorChar;

  Utf8LineReader(InputStream in) {
    this(in, MAX_LINE_BYTES);
  }

  Utf8LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Advances to the next line. Afterwards exactly one of {@link #text()} and {@link #error()} is
   * non-null.
   *
   * @return false at end of input
   */
  boolean next() throws IOException {
    lineLength = 0;
    boolean overflow = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (!fill()) {
          break;
        }
      }
      any = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? limit : nl;
      if (!overflow) {
        overflow = !append(start, end - start);
      }
      pos = nl < 0 ? limit : nl + 1;
      if (nl >= 0) {
        return finish(overflow);
      }
    }
    if (!any) {
      return false;
    }
    return finish(overflow);
  }

  private boolean finish(boolean overflow) {
    lineNumber++;
    repaired = null;
    errorChar = -1;
    if (overflow) {
      text = null;
      error = "line longer than " + maxLineBytes + " bytes";
      return true;
    }
    int len = lineLength;
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    int off = 0;
    if (lineNumber == 1 && len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
      off = 3;
    }
    decode(off, len - off);
    return true;
  }

  private void decode(int off, int len) {
    if (chars.capacity() < len) {
      chars = CharBuffer.allocate(Math.max(len, chars.capacity() * 2));
    }
    chars.clear();
    decoder.reset();
    ByteBuffer bytes = ByteBuffer.wrap(line, off, len);
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      text = null;
      error = "invalid UTF-8 at byte " + (bytes.position() - off + 1) + " of the line";
      // Decoded again with replacement characters, only so the caller can tell which field holds
      // the bad bytes and whose record it is; the record is rejected all the same.
      errorChar = chars.position();
      try {
        repaired = lenient.reset().decode(ByteBuffer.wrap(line, off, len)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IllegalStateException("a replacing decoder cannot fail", e);
      }
      return;
    }
    chars.flip();
    text = chars.toString();
    error = null;
  }

  private boolean append(int start, int n) {
    if (lineLength + n > maxLineBytes) {
      return false;
    }
    if (lineLength + n > line.length) {
      byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(lineLength + n, line.length * 2))];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    System.arraycopy(buf, start, line, lineLength, n);
    lineLength += n;
    return true;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /** 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }

  /** The decoded line without its terminator, or null when {@link #error()} is set. */
  String text() {
    return text;
  }

  /** Why the current line could not be decoded, or null. */
  String error() {
    return error;
  }

  /**
   * After an invalid UTF-8 error: the line decoded with U+FFFD for the bad bytes, for locating the
   * field and the record id in error messages only; null otherwise (also for overlong lines).
   */
  String repaired() {
    return repaired;
  }

  /** After an invalid UTF-8 error: index in {@link #repaired()} of the first replaced character, else -1. */
  int errorChar() {
    return errorChar;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
