package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.catalog.image.TestImages;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingReaderTest {
  static final ImagePipeline PIPELINE = new ImagePipeline(ImagePipeline.DEFAULT_SIZE);
  static final String GOOD = "{\"id\":\"R-00012\",\"title\":\"18K金钻石戒指 简约款\",\"title_en\":\"18K gold diamond ring\","
      + "\"description\":\"d\",\"category\":\"ring\",\"material\":\"18k_gold\",\"gemstone\":\"diamond\",\"color\":\"yellow\","
      + "\"style\":\"minimal\",\"price\":3299.0,\"currency\":\"CNY\",\"merchant\":\"m-03\",\"images\":[\"images/R-00012.jpg\"],\"in_stock\":true}";

  @TempDir Path dir;
  final CatalogReader reader = new CatalogReader(PIPELINE);

  private Collected<Listing> readJsonl(String... lines) throws Exception {
    Path file = dir.resolve("listings.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return read(file, false);
  }

  private Collected<Listing> read(Path file, boolean images) {
    Collected<Listing> c = new Collected<>();
    c.report = reader.readListings(file, images, c.ok(), c.bad());
    return c;
  }

  /** A valid listing with one field replaced (or removed when value is null). */
  static String with(String field, String jsonValue) {
    String id = "\"" + field + "\":";
    int start = GOOD.indexOf(id);
    int end = start + id.length();
    int depth = 0;
    boolean inString = false;
    while (end < GOOD.length()) {
      char c = GOOD.charAt(end);
      if (c == '"' && GOOD.charAt(end - 1) != '\\') {
        inString = !inString;
      } else if (!inString && (c == '[' || c == '{')) {
        depth++;
      } else if (!inString && (c == ']' || c == '}')) {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (!inString && depth == 0 && c == ',') {
        break;
      }
      end++;
    }
    if (jsonValue == null) {
      String before = GOOD.substring(0, start);
      String after = GOOD.substring(end);
      return after.startsWith(",") ? before + after.substring(1) : before.substring(0, before.length() - 1) + after;
    }
    return GOOD.substring(0, start) + id + jsonValue + GOOD.substring(end);
  }

  @Test
  void readsAValidJsonlListingWithUnknownFieldsAsAttributes() throws Exception {
    Collected<Listing> c = readJsonl(GOOD.replace("}", ",\"ring_size\":12,\"tags\":[\"gift\"],\"origin\":\"深圳\"}").replace("R-00012\",\"title", "R-00012\",\"title"));
    assertThat(c.rejected).isEmpty();
    Listing l = c.accepted.get(0);
    assertThat(l.id()).isEqualTo("R-00012");
    assertThat(l.title()).isEqualTo("18K金钻石戒指 简约款");
    assertThat(l.price()).isEqualTo(3299.0);
    assertThat(l.images()).containsExactly("images/R-00012.jpg");
    assertThat(l.attributes()).containsEntry("ring_size", 12).containsEntry("tags", List.of("gift")).containsEntry("origin", "深圳");
    assertThat(c.report.accepted()).isEqualTo(1);
    assertThat(c.report.format()).isEqualTo("jsonl");
  }

  @Test
  void defaultsCurrencyAndStock() throws Exception {
    Listing l = readJsonl(with("currency", null).replace(",\"in_stock\":true", "")).accepted.get(0);
    assertThat(l.currency()).isEqualTo("CNY");
    assertThat(l.inStock()).isTrue();
  }

  @Test
  void skipsBlankLinesAndHandlesCrLfAndBom() throws Exception {
    Path file = dir.resolve("listings.jsonl");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = (GOOD + "\r\n\r\n   \r\n" + GOOD.replace("R-00012", "R-00013") + "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(bom, bom.length + body.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    Files.write(file, all);
    Collected<Listing> c = read(file, false);
    assertThat(c.rejected).isEmpty();
    assertThat(c.accepted).extracting(Listing::id).containsExactly("R-00012", "R-00013");
  }

  @Test
  void rejectsBrokenJson() throws Exception {
    RecordError e = readJsonl(GOOD, GOOD.substring(0, 40)).only();
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.field()).isNull();
    assertThat(e.reason()).startsWith("malformed JSON");
    assertThat(e.file()).endsWith("listings.jsonl");
  }

  @Test
  void rejectsJsonThatIsNotAnObject() throws Exception {
    assertThat(readJsonl("[1,2,3]").only().reason()).isEqualTo("malformed JSON: expected an object, got array");
  }

  @Test
  void rejectsTrailingGarbageAndDuplicateKeys() throws Exception {
    Collected<Listing> c = readJsonl(GOOD + " {}", GOOD.replace("{\"id\":\"R-00012\"", "{\"id\":\"R-00012\",\"id\":\"R-1\""));
    assertThat(c.rejected).hasSize(2).allSatisfy(e -> assertThat(e.reason()).startsWith("malformed JSON"));
  }

  @Test
  void rejectsEachMissingRequiredField() throws Exception {
    for (String field : List.of("id", "title", "category", "price", "images")) {
      RecordError e = readJsonl(with(field, null)).only();
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.reason()).startsWith("missing required field");
      assertThat(e.recordId()).isEqualTo(field.equals("id") ? null : "R-00012");
    }
    assertThat(readJsonl(with("title", "\"  \"")).only().reason()).isEqualTo("missing required field");
    assertThat(readJsonl(with("title", "null")).only().field()).isEqualTo("title");
    assertThat(readJsonl(with("images", "[]")).only().field()).isEqualTo("images");
  }

  @Test
  void rejectsWrongTypes() throws Exception {
    assertThat(readJsonl(with("price", "\"3299\"")).only().reason()).isEqualTo("wrong type: expected number, got string");
    assertThat(readJsonl(with("title", "42")).only().reason()).isEqualTo("wrong type: expected string, got number");
    assertThat(readJsonl(with("images", "{\"a\":1}")).only().reason()).isEqualTo("wrong type: expected array of strings, got object");
    assertThat(readJsonl(with("images", "[\"a.jpg\",3]")).only().field()).isEqualTo("images");
    assertThat(readJsonl(with("in_stock", "\"yes\"")).only().reason()).isEqualTo("wrong type: expected boolean, got string");
    assertThat(readJsonl(with("id", "[1]")).only().field()).isEqualTo("id");
  }

  @Test
  void acceptsNumericIdsAndASingleImageString() throws Exception {
    Listing l = readJsonl(with("id", "12345").replace("[\"images/R-00012.jpg\"]", "\"images/x.jpg\"")).accepted.get(0);
    assertThat(l.id()).isEqualTo("12345");
    assertThat(l.images()).containsExactly("images/x.jpg");
  }

  @Test
  void rejectsAbsurdPrices() throws Exception {
    assertThat(readJsonl(with("price", "-1")).only().reason()).isEqualTo("negative price: -1.0");
    assertThat(readJsonl(with("price", "0")).only().reason()).isEqualTo("zero price");
    assertThat(readJsonl(with("price", "10000000.5")).only().reason()).startsWith("absurd price");
    assertThat(readJsonl(with("price", "1e400")).only().reason()).isEqualTo("price is not a finite number");
    assertThat(readJsonl(with("price", "10000000")).rejected).isEmpty();
    assertThat(readJsonl(with("price", "0.01")).rejected).isEmpty();
  }

  @Test
  void rejectsBadImagePathsAndCurrency() throws Exception {
    assertThat(readJsonl(with("images", "[\"https://cdn.example.com/a.jpg\"]")).only().reason()).startsWith("remote image URL not supported");
    assertThat(readJsonl(with("images", "[\"a.jpg\",\" \"]")).only().reason()).isEqualTo("blank image path");
    RecordError e = readJsonl(with("currency", "\"yuan\"")).only();
    assertThat(e.field()).isEqualTo("currency");
  }

  @Test
  void rejectsInvalidUtf8NamingTheByte() throws Exception {
    Path file = dir.resolve("listings.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
    String second = GOOD.replace("R-00012", "R-00013");
    int cut = second.indexOf("简约");
    out.writeBytes(second.substring(0, cut).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte without its continuation
    out.writeBytes(second.substring(cut).getBytes(StandardCharsets.UTF_8));
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, out.toByteArray());
    Collected<Listing> c = read(file, false);
    assertThat(c.accepted).hasSize(1);
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.reason()).startsWith("invalid UTF-8 at byte");
  }

  @Test
  void rejectsDuplicateIdsKeepingTheFirst() throws Exception {
    Collected<Listing> c = readJsonl(GOOD, GOOD.replace("3299.0", "100.0"), GOOD.replace("R-00012", "R-00013"));
    assertThat(c.accepted).extracting(Listing::price).containsExactly(3299.0, 3299.0);
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.field()).isEqualTo("id");
    assertThat(e.recordId()).isEqualTo("R-00012");
    assertThat(e.reason()).isEqualTo("duplicate id within the file");
  }

  @Test
  void readsCsvWithQuotesMultilineCellsAndBothImageSeparators() throws Exception {
    Path file = dir.resolve("listings.csv");
    Files.writeString(file, String.join("\n",
        "id,title,category,price,images,in_stock,description,ring_size",
        "R-1,\"戒指, 简约\",ring,99.5,images/a.jpg|images/b.jpg,true,\"line one",
        "line \"\"two\"\"\",7",
        "R-2,t,ring,10,a.jpg;b.jpg,,,",
        ""), StandardCharsets.UTF_8);
    Collected<Listing> c = read(file, false);
    assertThat(c.rejected).isEmpty();
    Listing a = c.accepted.get(0);
    assertThat(a.title()).isEqualTo("戒指, 简约");
    assertThat(a.images()).containsExactly("images/a.jpg", "images/b.jpg");
    assertThat(a.description()).isEqualTo("line one\nline \"two\"");
    assertThat(a.attributes()).containsEntry("ring_size", "7");
    Listing b = c.accepted.get(1);
    assertThat(b.images()).containsExactly("a.jpg", "b.jpg");
    assertThat(b.inStock()).isTrue();
    assertThat(b.attributes()).isEmpty();
    assertThat(c.report.format()).isEqualTo("csv");
  }

  @Test
  void rejectsBadCsvRows() throws Exception {
    Path file = dir.resolve("listings.csv");
    Files.writeString(file, String.join("\n",
        "id,title,category,price,images",
        "R-1,t,ring,abc,a.jpg",
        "R-2,t,ring,NaN,a.jpg",
        "R-3,t,ring,5",
        "R-4,\"t\"x,ring,5,a.jpg",
        "R-5,t,ring,0x10,a.jpg",
        "R-6,t,ring,5,a.jpg",
        "R-7,\"never closed,ring,5,a.jpg"), StandardCharsets.UTF_8);
    Collected<Listing> c = read(file, false);
    assertThat(c.accepted).extracting(Listing::id).containsExactly("R-6");
    assertThat(c.rejected).extracting(RecordError::line).containsExactly(2L, 3L, 4L, 5L, 6L, 8L);
    assertThat(c.rejected).extracting(RecordError::reason).containsExactly(
        "wrong type: expected number, got 'abc'",
        "price is not a finite number",
        "malformed CSV: expected 5 columns, got 4",
        "malformed CSV: text after closing quote at column 2",
        "wrong type: expected number, got '0x10'",
        "malformed CSV: unterminated quoted field (opened in column 2 on this line, no closing quote before the end of the file); "
            + "reading resumes on the next line");
    assertThat(c.rejected.get(0).recordId()).isEqualTo("R-1");
  }

  @Test
  void csvHeaderWithoutRequiredColumnIsOneReject() throws Exception {
    Path file = dir.resolve("listings.csv");
    Files.writeString(file, "id,name,category,price,images\nR-1,t,ring,5,a.jpg\nR-2,t,ring,5,a.jpg\n");
    Collected<Listing> c = read(file, false);
    assertThat(c.accepted).isEmpty();
    RecordError e = c.only();
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.field()).isEqualTo("title");
    assertThat(e.reason()).startsWith("CSV header lacks required column 'title'");
  }

  @Test
  void rejectsOverlongLinesAndInvalidUtf8InsideAMultilineCsvRecord() throws Exception {
    String huge = GOOD.replace("\"description\":\"d\"", "\"description\":\"" + "长".repeat(Utf8LineReader.MAX_LINE_BYTES / 3 + 10) + "\"");
    Collected<Listing> c = readJsonl(GOOD.replace("R-00012", "A"), huge, GOOD.replace("R-00012", "B"));
    assertThat(c.accepted).extracting(Listing::id).containsExactly("A", "B");
    assertThat(c.only().reason()).isEqualTo("line longer than " + Utf8LineReader.MAX_LINE_BYTES + " bytes");
    assertThat(c.only().line()).isEqualTo(2);

    Path file = dir.resolve("listings.csv");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("id,title,category,price,images,description\nR-1,t,ring,5,a.jpg,\"first line\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {'b', 'a', 'd', (byte) 0xE4, (byte) 0xB8, '"', '\n'});
    out.writeBytes("R-2,t,ring,5,a.jpg,ok\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, out.toByteArray());
    Collected<Listing> csv = read(file, false);
    assertThat(csv.accepted).extracting(Listing::id).containsExactly("R-2");
    assertThat(csv.only().line()).isEqualTo(2);
    assertThat(csv.only().reason()).isEqualTo("invalid UTF-8 at byte 4 of the line (line 3, inside a quoted field opened on line 2)");
  }

  @Test
  void readsGzippedJsonl() throws Exception {
    Path file = dir.resolve("listings.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < 500; i++) {
        out.write((GOOD.replace("R-00012", "R-" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Collected<Listing> c = read(file, false);
    assertThat(c.accepted).hasSize(500);
    assertThat(c.rejected).isEmpty();
  }

  @Test
  void checksImagesOnlyWhenAsked() throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Random rnd = new Random(11);
    Files.write(dir.resolve("images/ok.jpg"), TestImages.encode(TestImages.random(120, 100, rnd.nextLong()), "jpg"));
    byte[] jpeg = TestImages.encode(TestImages.random(120, 100, rnd.nextLong()), "jpg");
    Files.write(dir.resolve("images/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    Files.writeString(dir.resolve("images/text.jpg"), "hello");
    Path abs = dir.resolve("images/ok.jpg").toAbsolutePath();
    Path file = dir.resolve("listings.jsonl");
    Files.writeString(file, String.join("\n",
        GOOD.replace("images/R-00012.jpg", "images/ok.jpg").replace("R-00012", "A"),
        GOOD.replace("images/R-00012.jpg", "images/cut.jpg").replace("R-00012", "B"),
        GOOD.replace("images/R-00012.jpg", "images/text.jpg").replace("R-00012", "C"),
        GOOD.replace("images/R-00012.jpg", "images/none.jpg").replace("R-00012", "D"),
        GOOD.replace("images/R-00012.jpg", abs.toString()).replace("R-00012", "E")) + "\n");
    // An absolute path is refused by its syntax alone, even pointing inside the catalog.
    assertThat(read(file, false).rejected).extracting(RecordError::recordId).containsExactly("E");
    Collected<Listing> c = read(file, true);
    assertThat(c.accepted).as(c.rejected.toString()).extracting(Listing::id).containsExactly("A");
    assertThat(c.rejected).extracting(RecordError::recordId).containsExactly("B", "C", "D", "E");
    assertThat(c.rejected).allSatisfy(e -> assertThat(e.field()).isEqualTo("images"));
    assertThat(c.rejected.get(0).reason()).isEqualTo("image truncated JPEG (no end-of-image marker): images/cut.jpg");
    assertThat(c.rejected.get(1).reason()).startsWith("image not an image");
    assertThat(c.rejected.get(2).reason()).isEqualTo("image missing file: images/none.jpg");
  }

  @Test
  void parallelImageChecksKeepFileOrder() throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Random rnd = new Random(77);
    byte[] good = TestImages.encode(TestImages.random(64, 64, rnd.nextLong()), "jpg");
    byte[] cut = Arrays.copyOf(good, good.length - 10);
    List<String> lines = new ArrayList<>();
    List<String> expectedAccepted = new ArrayList<>();
    List<Long> expectedRejectLines = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      String id = "L-" + i;
      int kind = rnd.nextInt(5);
      Path image = dir.resolve("images/" + id + ".jpg");
      Files.write(image, kind == 1 ? cut : good);
      String line = GOOD.replace("images/R-00012.jpg", "images/" + id + ".jpg").replace("R-00012", id);
      if (kind == 2) {
        line = with("price", "-5").replace("images/R-00012.jpg", "images/" + id + ".jpg").replace("R-00012", id);
      }
      lines.add(line);
      if (kind == 1 || kind == 2) {
        expectedRejectLines.add((long) i + 1);
      } else {
        expectedAccepted.add(id);
      }
    }
    Path file = dir.resolve("listings.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    for (int threads : new int[] {1, 3}) {
      Collected<Listing> c = new Collected<>();
      c.report = new CatalogReader(PIPELINE, threads).readListings(file, true, c.ok(), c.bad());
      assertThat(c.accepted).extracting(Listing::id).containsExactlyElementsOf(expectedAccepted);
      assertThat(c.rejected).extracting(RecordError::line).containsExactlyElementsOf(expectedRejectLines);
      assertThat(c.report.accepted()).isEqualTo(expectedAccepted.size());
      assertThat(c.report.rejected()).isEqualTo(expectedRejectLines.size());
    }
  }

  @Test
  void exceptionsFromTheCallersConsumerPropagate() throws Exception {
    Path file = dir.resolve("listings.jsonl");
    Files.writeString(file, GOOD + "\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.readListings(file, l -> {
      throw new IllegalArgumentException("consumer says no");
    }, e -> { })).isInstanceOf(IllegalArgumentException.class).hasMessage("consumer says no");
  }

  @Test
  void resolvesImagesInsideTheCatalogOnly() {
    Path cat = Path.of("/data/catalog");
    assertThat(CatalogReader.resolveImage(cat, "images/a.jpg")).isEqualTo(Path.of("/data/catalog/images/a.jpg"));
    assertThat(CatalogReader.resolveImage(cat, "./x/c.jpg")).isEqualTo(Path.of("/data/catalog/x/c.jpg"));
    for (String outside : List.of("/srv/img/b.jpg", "../b.jpg", "x/../../b.jpg", "a\\..\\b.jpg", "C:/b.jpg", "a\0.jpg")) {
      assertThatThrownBy(() -> CatalogReader.resolveImage(cat, outside)).as(outside).isInstanceOf(ImageRejectedException.class);
    }
  }
}
