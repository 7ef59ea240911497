package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV quoting gone wrong: one stray quote must cost one record, in linear time. */
class HostileCsvTest {
  static final String HEADER = "id,title,category,price,images,description";

  @TempDir Path dir;
  final CatalogReader reader = new CatalogReader(ListingReaderTest.PIPELINE);

  private static String row(int i) {
    return "R-" + i + ",title " + i + ",ring," + (10 + i) + ",images/R-" + i + ".jpg,plain description of listing number " + i;
  }

  private Collected<Listing> read(List<String> rows) throws IOException {
    Path file = dir.resolve("listings.csv");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.write('\n');
      for (String row : rows) {
        out.write(row);
        out.write('\n');
      }
    }
    Collected<Listing> c = new Collected<>();
    c.report = reader.readListings(file, c.ok(), c.bad());
    return c;
  }

  private static List<String> rows(int n, int strayAt) {
    List<String> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(i == strayAt ? row(i).replace(",title ", ",\"title ") : row(i));
    }
    return rows;
  }

  @Test
  void aStrayQuoteCostsItsOwnRowOnly() throws Exception {
    Collected<Listing> c = read(rows(200, 10));
    assertThat(c.accepted).hasSize(199);
    assertThat(c.accepted).extracting(Listing::id).doesNotContain("R-10").contains("R-9", "R-11", "R-200");
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(11);
    assertThat(e.recordId()).isEqualTo("R-10");
    assertThat(e.field()).isEqualTo("title");
    assertThat(e.reason()).isEqualTo("malformed CSV: unterminated quoted field (opened in column 2 on this line, no closing quote "
        + "before the end of the file); reading resumes on the next line");
  }

  @Test
  void aStrayQuoteStopsLookingAfterTheLineLimitAndStaysLinear() {
    // 40,000 rows after the quote took 69 s and 1.5 GB when the growing record was parsed again at every line.
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Collected<Listing> c = read(rows(40_010, 10));
      assertThat(c.accepted).hasSize(40_009);
      assertThat(c.only().line()).isEqualTo(11);
      assertThat(c.only().reason()).contains("no closing quote within " + CsvRecordSource.MAX_RECORD_LINES + " lines");
    });
  }

  @Test
  void aStrayQuoteBeforeLongRowsStopsAtTheCharacterLimit() throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      String row = "R-" + i + "," + (i == 2 ? "\"" : "") + "t,ring,5,a.jpg," + "x".repeat(15_000);
      rows.add(row);
    }
    Collected<Listing> c = read(rows);
    assertThat(c.only().line()).isEqualTo(3);
    assertThat(c.only().reason()).contains("no closing quote within " + CsvRecordSource.MAX_RECORD_CHARS + " characters");
    assertThat(c.accepted).hasSize(99);
  }

  @Test
  void quotedFieldsMaySpanManyLinesUpToTheLimit() throws Exception {
    String longest = "R-1,t,ring,5,a.jpg,\"" + "line\n".repeat(CsvRecordSource.MAX_RECORD_LINES - 1) + "end\"";
    String tooLong = "R-2,t,ring,5,a.jpg,\"" + "line\n".repeat(CsvRecordSource.MAX_RECORD_LINES) + "end\"";
    Collected<Listing> c = read(List.of(longest, "R-3,t,ring,5,a.jpg,d", tooLong, "R-4,t,ring,5,a.jpg,d"));
    assertThat(c.accepted.get(0).description()).startsWith("line\nline").endsWith("end");
    // The record over the limit is rejected; its lines are read again as rows (and rejected as such,
    // having one cell), and the rows after it are kept.
    assertThat(c.accepted).extracting(Listing::id).containsExactly("R-1", "R-3", "R-4");
    assertThat(c.rejected.get(0).recordId()).isEqualTo("R-2");
    assertThat(c.rejected.get(0).line()).isEqualTo(1 + CsvRecordSource.MAX_RECORD_LINES + 2);
    assertThat(c.rejected.subList(1, c.rejected.size())).allSatisfy(e -> assertThat(e.reason()).startsWith("malformed CSV: expected 6 columns"));
  }

  @Test
  void textAfterAClosingQuoteInALaterLineResumesAfterTheRecordStart() throws Exception {
    Collected<Listing> c = read(List.of(row(1), "R-2,t,ring,5,a.jpg,\"two", "lines\" and more", row(3)));
    assertThat(c.accepted).extracting(Listing::id).containsExactly("R-1", "R-3");
    assertThat(c.rejected).extracting(RecordError::line).containsExactly(3L, 4L);
    assertThat(c.rejected.get(0).reason()).isEqualTo("malformed CSV: text after closing quote at column 6");
  }
}
