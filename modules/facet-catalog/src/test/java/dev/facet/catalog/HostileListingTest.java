package dev.facet.catalog;

import static dev.facet.catalog.ListingReaderTest.GOOD;
import static dev.facet.catalog.ListingReaderTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listings built to slip through validation: each must cost exactly its record, with the field named. */
class HostileListingTest {
  @TempDir Path dir;
  final CatalogReader reader = new CatalogReader(ListingReaderTest.PIPELINE);

  private Collected<Listing> read(byte[] content) throws Exception {
    Path file = dir.resolve("listings.jsonl");
    Files.write(file, content);
    Collected<Listing> c = new Collected<>();
    c.report = reader.readListings(file, c.ok(), c.bad());
    return c;
  }

  private Collected<Listing> readJsonl(String... lines) throws Exception {
    return read((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** One bad listing between two good ones: exactly it is rejected, on its line, naming the field. */
  private RecordError rejectedBetweenGoodOnes(String bad) throws Exception {
    Collected<Listing> c = readJsonl(GOOD.replace("R-00012", "A"), bad, GOOD.replace("R-00012", "B"));
    assertThat(c.accepted).extracting(Listing::id).containsExactly("A", "B");
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.reason()).isNotBlank();
    return e;
  }

  @Test
  void idsAreBoundedPrintableText() throws Exception {
    RecordError nul = rejectedBetweenGoodOnes(with("id", "\"X-1\\u0000\\u0007\""));
    assertThat(nul.field()).isEqualTo("id");
    assertThat(nul.reason()).startsWith("illegal character U+0000 at character 4 of the id");
    assertThat(nul.recordId()).as("printable in the reject").isEqualTo("X-1\\u0000\\u0007");
    assertThat(rejectedBetweenGoodOnes(with("id", "\"X\\u202Eevil\"")).reason()).startsWith("illegal character U+202E");
    assertThat(rejectedBetweenGoodOnes(with("id", "\"X\\u2028Y\"")).field()).isEqualTo("id");
    assertThat(rejectedBetweenGoodOnes(with("id", "\"X\\ud800\"")).reason()).startsWith("illegal character U+D800");
    RecordError longId = rejectedBetweenGoodOnes(with("id", "\"" + "x".repeat(ListingParser.MAX_ID_CHARS + 1) + "\""));
    assertThat(longId.reason()).isEqualTo("id longer than 128 characters");
    assertThat(longId.recordId()).hasSize(ListingParser.MAX_ID_CHARS + 1).endsWith("…");
    assertThat(readJsonl(with("id", "\"戒指-" + "x".repeat(ListingParser.MAX_ID_CHARS - 3) + "\"")).rejected).isEmpty();
    assertThat(rejectedBetweenGoodOnes(with("merchant", "\"m\\u0000\"")).field()).isEqualTo("merchant");
  }

  @Test
  void textFieldsAreBoundedAndFreeOfControlCharacters() throws Exception {
    RecordError huge = rejectedBetweenGoodOnes(with("title", "\"" + "金".repeat(200_000) + "\""));
    assertThat(huge.field()).isEqualTo("title");
    assertThat(huge.reason()).isEqualTo("text longer than 1000 characters (200000)");
    assertThat(readJsonl(with("title", "\"" + "金".repeat(ListingParser.MAX_TITLE_CHARS) + "\"")).rejected).isEmpty();
    assertThat(rejectedBetweenGoodOnes(with("description", "\"" + "d".repeat(20_001) + "\"")).field()).isEqualTo("description");
    assertThat(rejectedBetweenGoodOnes(with("category", "\"" + "c".repeat(201) + "\"")).field()).isEqualTo("category");
    RecordError bel = rejectedBetweenGoodOnes(with("title", "\"ring\\u0007\""));
    assertThat(bel.reason()).isEqualTo("illegal control character U+0007 at character 5");
    assertThat(rejectedBetweenGoodOnes(with("color", "\"gold\\nwhite\"")).field()).isEqualTo("color");
    assertThat(rejectedBetweenGoodOnes(with("title_en", "\"a\\udc00b\"")).reason()).startsWith("invalid Unicode: unpaired surrogate U+DC00");
    Listing ok = readJsonl(with("description", "\"line one\\nline\\ttwo 💍\"")).accepted.get(0);
    assertThat(ok.description()).isEqualTo("line one\nline\ttwo 💍");
  }

  @Test
  void imagesAndAttributesAreBounded() throws Exception {
    List<String> images = new ArrayList<>();
    for (int i = 0; i <= ListingParser.MAX_IMAGES; i++) {
      images.add("\"images/" + i + ".jpg\"");
    }
    assertThat(rejectedBetweenGoodOnes(with("images", "[" + String.join(",", images) + "]")).reason()).isEqualTo("too many images: 33 > 32");
    StringBuilder many = new StringBuilder(GOOD.substring(0, GOOD.length() - 1));
    for (int i = 0; i <= ListingParser.MAX_ATTRIBUTES; i++) {
      many.append(",\"a").append(i).append("\":").append(i);
    }
    assertThat(rejectedBetweenGoodOnes(many + "}").reason()).startsWith("too many attributes");
    RecordError big = rejectedBetweenGoodOnes(GOOD.replace("}", ",\"notes\":\"" + "n".repeat(5000) + "\"}"));
    assertThat(big.field()).isEqualTo("notes");
    assertThat(big.reason()).startsWith("attribute too large");
    assertThat(rejectedBetweenGoodOnes(GOOD.replace("}", ",\"deep\":" + "[".repeat(12) + "]".repeat(12) + "}")).reason())
        .startsWith("attribute nested deeper");
    assertThat(rejectedBetweenGoodOnes(GOOD.replace("}", ",\"tags\":[\"a\\u0000\"]}")).field()).isEqualTo("tags");
    assertThat(rejectedBetweenGoodOnes(GOOD.replace("}", ",\"bad\\u0001name\":1}")).field()).isEqualTo("bad\\u0001name");
    Listing ok = readJsonl(GOOD.replace("}", ",\"sizes\":[5,6,7],\"cert\":{\"lab\":\"GIA\",\"no\":\"123\"}}")).accepted.get(0);
    assertThat(ok.attributes()).containsKeys("sizes", "cert");
  }

  @Test
  void imagePathsThatLeaveTheCatalogAreRejectedPerRecord() throws Exception {
    for (String path : List.of("../../../../../../etc/passwd", "/etc/hostname", "images/../../x.jpg", "images\\\\x.jpg",
        "C:/x.jpg", "images/a\\u0000.jpg", "file:///etc/passwd", "images/\\u0007.jpg")) {
      RecordError e = rejectedBetweenGoodOnes(with("images", "[\"images/ok.jpg\",\"" + path + "\"]"));
      assertThat(e.field()).as(path).isEqualTo("images");
      assertThat(e.recordId()).isEqualTo("R-00012");
    }
  }

  @Test
  void invalidUtf8IsRejectedNamingTheFieldAndTheRecord() throws Exception {
    byte[] title = jsonlWithBadBytes("\"title\":\"18K", GOOD.replace("R-00012", "R-00013"));
    Collected<Listing> c = read(title);
    assertThat(c.accepted).extracting(Listing::id).containsExactly("A", "B");
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.field()).isEqualTo("title");
    assertThat(e.recordId()).isEqualTo("R-00013");
    assertThat(e.reason()).isEqualTo("invalid UTF-8 at byte 29 of the line (in field 'title')");

    RecordError inId = read(jsonlWithBadBytes("\"id\":\"R-", GOOD.replace("R-00012", "R-00013"))).only();
    assertThat(inId.field()).isEqualTo("id");
    assertThat(inId.recordId()).as("an id holding replaced bytes is not the id").isNull();

    RecordError nested = read(jsonlWithBadBytes("ring_size\":[\"", GOOD.replace("}", ",\"ring_size\":[\"12\"]}"))).only();
    assertThat(nested.field()).isEqualTo("ring_size");
  }

  /** Three lines, the second holding 0xFF 0xFE right after the first occurrence of {@code after} in {@code line}. */
  private static byte[] jsonlWithBadBytes(String after, String line) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((GOOD.replace("R-00012", "A") + "\n").getBytes(StandardCharsets.UTF_8));
    int cut = line.indexOf(after) + after.length();
    out.writeBytes(line.substring(0, cut).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
    out.writeBytes((line.substring(cut) + "\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes((GOOD.replace("R-00012", "B") + "\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void invalidUtf8InACsvCellNamesItsColumn() throws Exception {
    Path file = dir.resolve("listings.csv");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("id,title,category,price,images\nR-1,t,ring,5,a.jpg\nR-2,戒".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xC3, '('});
    out.writeBytes("指,ring,5,a.jpg\nR-3,t,ring,5,a.jpg\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, out.toByteArray());
    Collected<Listing> c = new Collected<>();
    reader.readListings(file, c.ok(), c.bad());
    assertThat(c.accepted).extracting(Listing::id).containsExactly("R-1", "R-3");
    assertThat(c.only().line()).isEqualTo(3);
    assertThat(c.only().field()).isEqualTo("title");
    assertThat(c.only().recordId()).isEqualTo("R-2");
  }
}
