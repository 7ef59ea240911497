package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {
  /** Generates lines on demand and counts how far the reader has pulled. */
  static final class LineStream extends InputStream {
    final long lines;
    long produced;
    long bytesRead;
    byte[] current = new byte[0];
    int pos;

    LineStream(long lines) {
      this.lines = lines;
    }

    @Override
    public int read() {
      if (pos == current.length) {
        if (produced == lines) {
          return -1;
        }
        current = ("{\"n\":" + produced++ + ",\"pad\":\"" + "x".repeat(100) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
      }
      bytesRead++;
      return current[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        int c = read();
        if (c < 0) {
          return n == 0 ? -1 : n;
        }
        b[off + n++] = (byte) c;
      }
      return n;
    }
  }

  @Test
  void readsLazilyWithBoundedReadAhead() throws IOException {
    LineStream in = new LineStream(200_000);
    try (Utf8LineReader r = new Utf8LineReader(in)) {
      long count = 0;
      long handedOut = 0;
      while (r.next()) {
        count++;
        handedOut += r.text().length() + 1;
        assertThat(r.text()).startsWith("{\"n\":" + (count - 1) + ",");
        // Never more than one 64 KiB buffer ahead of the line handed out: the file is streamed.
        assertThat(in.bytesRead).isLessThanOrEqualTo(handedOut + 64 * 1024);
      }
      assertThat(count).isEqualTo(200_000);
    }
  }

  @Test
  void reportsOverlongLinesAndGoesOn() throws IOException {
    Random rnd = new Random(5);
    String longLine = "y".repeat(5000 + rnd.nextInt(1000));
    byte[] data = ("short\n" + longLine + "\nafter").getBytes(StandardCharsets.UTF_8);
    try (Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(data), 4096)) {
      assertThat(r.next()).isTrue();
      assertThat(r.text()).isEqualTo("short");
      assertThat(r.next()).isTrue();
      assertThat(r.text()).isNull();
      assertThat(r.error()).isEqualTo("line longer than 4096 bytes");
      assertThat(r.next()).isTrue();
      assertThat(r.text()).isEqualTo("after");
      assertThat(r.lineNumber()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void flagsTruncatedMultibyteSequenceAtEndOfLine() throws IOException {
    byte[] good = "价格".getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[good.length + 1 - 1 + 1];
    System.arraycopy(good, 0, data, 0, good.length - 1); // drop the last continuation byte
    data[good.length - 1] = '\n';
    data[good.length] = 'z';
    try (Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(data))) {
      assertThat(r.next()).isTrue();
      assertThat(r.error()).startsWith("invalid UTF-8 at byte 4");
      assertThat(r.next()).isTrue();
      assertThat(r.text()).isEqualTo("z");
    }
  }
}
