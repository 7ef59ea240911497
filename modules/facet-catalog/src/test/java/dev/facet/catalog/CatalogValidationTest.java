package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.FacetException;
import dev.facet.core.RecordError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogValidationTest {
  static final CatalogReader READER = new CatalogReader(ListingReaderTest.PIPELINE);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static Path pristine;

  @BeforeAll
  static void generate() {
    pristine = shared.resolve("catalog");
    new SampleCatalogGenerator().generate(40, 20, 99, pristine);
  }

  @TempDir Path dir;

  private Path copy() throws IOException {
    Path target = dir.resolve("copy");
    try (Stream<Path> files = Files.walk(pristine)) {
      for (Path p : files.toList()) {
        Path t = target.resolve(pristine.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  /** Ways to break one JSONL line; each must cost exactly that record. */
  private static final List<java.util.function.UnaryOperator<String>> LINE_BREAKERS = List.of(
      line -> line.substring(0, line.length() / 2),
      line -> line.replaceFirst("\\{", "["),
      line -> "",  // replaced below by invalid UTF-8 bytes
      line -> line.replace("\"ts\":\"2026", "\"ts\":\"20x6").replace("\"price\":", "\"price\":-").replace("\"user\":\"u-", "\"user\":[\"u-"),
      line -> line.replace("\"event\":\"", "\"event\":\"x").replace("\"title\":", "\"titel\":").replace("\"city_tier\":", "\"city_tier\":7"));

  @Test
  void brokenLinesAndImagesCostExactlyTheirRecords() throws IOException {
    Path catalog = copy();
    Random rnd = new Random(2024);
    int broken = 0;
    Set<String> brokenListingIds = new HashSet<>();
    long[] totals = new long[3];
    String[] names = {"listings.jsonl", "interactions.jsonl", "users.jsonl"};
    for (int f = 0; f < names.length; f++) {
      Path file = catalog.resolve(names[f]);
      List<byte[]> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lines.add(line.getBytes(StandardCharsets.UTF_8));
      }
      totals[f] = lines.size();
      int n = 3 + rnd.nextInt(3);
      Set<Integer> chosen = new HashSet<>();
      while (chosen.size() < n) {
        chosen.add(rnd.nextInt(lines.size()));
      }
      int k = 0;
      for (int i : chosen) {
        String line = new String(lines.get(i), StandardCharsets.UTF_8);
        if (f == 0) {
          brokenListingIds.add(JSON.readTree(line).get("id").asText());
        }
        int kind = (k++ + f) % LINE_BREAKERS.size();
        byte[] out;
        if (kind == 2) {
          out = Arrays.copyOf(lines.get(i), lines.get(i).length);
          out[out.length / 2] = (byte) 0xFF;
        } else {
          out = LINE_BREAKERS.get(kind).apply(line).getBytes(StandardCharsets.UTF_8);
        }
        assertThat(out).as("breaker %d changed line %d of %s", kind, i, names[f]).isNotEqualTo(lines.get(i));
        lines.set(i, out);
        broken++;
      }
      try (var os = Files.newOutputStream(file)) {
        for (byte[] l : lines) {
          os.write(l);
          os.write('\n');
        }
      }
    }
    // Break images of listings whose lines are still intact.
    List<String> intact = new ArrayList<>();
    for (String line : Files.readAllLines(pristine.resolve("listings.jsonl"))) {
      String id = JSON.readTree(line).get("id").asText();
      if (!brokenListingIds.contains(id)) {
        intact.add(id);
      }
    }
    int m = 4;
    for (int j = 0; j < m; j++) {
      Path image = catalog.resolve("images/" + intact.get(j * 3) + ".jpg");
      switch (j) {
        case 0 -> Files.write(image, Arrays.copyOf(Files.readAllBytes(image), (int) Files.size(image) / 2));
        case 1 -> Files.writeString(image, "not an image");
        case 2 -> Files.delete(image);
        default -> Files.write(image, new byte[0]);
      }
    }
    Path rejects = dir.resolve("out/rejects.jsonl");
    ValidationReport report = READER.validate(catalog, true, rejects);
    assertThat(report.rejected()).as(report.summary()).isEqualTo(broken + m);
    assertThat(report.listings().accepted() + report.listings().rejected()).isEqualTo(totals[0]);
    assertThat(report.interactions().accepted() + report.interactions().rejected()).isEqualTo(totals[1]);
    assertThat(report.users().accepted() + report.users().rejected()).isEqualTo(totals[2]);
    assertThat(report.rejectsByReason().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(broken + m);
    List<String> rejectLines = Files.readAllLines(rejects);
    assertThat(rejectLines).hasSize(broken + m);
    for (String line : rejectLines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.get("file").asText()).startsWith(catalog.toString());
      assertThat(n.get("line").asLong()).isPositive();
      assertThat(n.has("id") && n.has("field") && n.has("reason")).isTrue();
    }
    assertThat(report.rejectsByReason()).containsKeys("images: image missing file", "images: image empty file", "malformed JSON");
    List<Long> counts = new ArrayList<>(report.rejectsByReason().values());
    List<Long> descending = new ArrayList<>(counts);
    descending.sort(java.util.Comparator.reverseOrder());
    assertThat(counts).isEqualTo(descending);
    // Without image checks only the line breakage is seen.
    assertThat(READER.validate(catalog, false, null).rejected()).isEqualTo(broken);
  }

  @Test
  void pristineCatalogHasNoRejectsAndAnEmptyRejectLog() throws IOException {
    Path rejects = dir.resolve("rejects.jsonl");
    ValidationReport report = READER.validate(pristine, true, rejects);
    assertThat(report.rejected()).isZero();
    assertThat(report.usable()).isTrue();
    assertThat(Files.size(rejects)).isZero();
    assertThat(report.summary()).contains("listings.jsonl", "40 accepted, 0 rejected");
  }

  @Test
  void countsInteractionsOnUnknownItems() throws IOException {
    Path catalog = copy();
    Files.writeString(catalog.resolve("interactions.jsonl"),
        "{\"user\":\"u-0001\",\"item\":\"X-1\",\"event\":\"view\",\"ts\":\"2026-02-01T00:00:00Z\"}\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(READER.validate(catalog, false, null).interactionsWithUnknownItem()).isEqualTo(1);
  }

  @Test
  void locatesFilesAndRefusesAmbiguity() throws IOException {
    CatalogFiles files = READER.locate(pristine);
    assertThat(files.listings().getFileName().toString()).isEqualTo("listings.jsonl");
    assertThat(files.interactions().getFileName().toString()).isEqualTo("interactions.jsonl");
    assertThat(files.users().getFileName().toString()).isEqualTo("users.jsonl");

    Path taobao = Files.createDirectories(dir.resolve("taobao"));
    Files.writeString(taobao.resolve("UserBehavior.csv"), "1,2,3,pv,1511544070\n");
    CatalogFiles t = READER.locate(taobao);
    assertThat(t.listings()).isNull();
    assertThat(t.interactions().getFileName().toString()).isEqualTo("UserBehavior.csv");
    ValidationReport r = READER.validate(taobao, false, null);
    assertThat(r.interactions().format()).isEqualTo("taobao-csv");
    assertThat(r.accepted()).isEqualTo(1);

    Path both = Files.createDirectories(dir.resolve("both"));
    Files.writeString(both.resolve("listings.jsonl"), "");
    Files.writeString(both.resolve("listings.csv"), "");
    assertThatThrownBy(() -> READER.locate(both)).isInstanceOf(FacetException.class).hasMessageContaining("ambiguous");
    assertThatThrownBy(() -> READER.locate(dir.resolve("nope"))).isInstanceOf(FacetException.class).hasMessageContaining("does not exist");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> READER.locate(empty)).isInstanceOf(FacetException.class).hasMessageContaining("no catalog files");
  }

  @Test
  void catalogWithOnlyBrokenRecordsIsNotUsable() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("listings.jsonl"), "{\n[\n");
    ValidationReport r = READER.validate(bad, false, null);
    assertThat(r.usable()).isFalse();
    assertThat(r.rejected()).isEqualTo(2);
  }

  @Test
  void rejectLogWriterEscapesAndKeepsNulls() throws IOException {
    Path file = dir.resolve("sub/dir/rejects.jsonl");
    try (RejectLogWriter w = RejectLogWriter.open(file)) {
      w.accept(new RecordError("a \"b\".jsonl", 3, null, null, "malformed JSON: 戒指\n"));
      w.accept(new RecordError("c.csv", 7, "R-1", "price", "zero price"));
      assertThat(w.count()).isEqualTo(2);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("file").asText()).isEqualTo("a \"b\".jsonl");
    assertThat(first.get("id").isNull()).isTrue();
    assertThat(first.get("reason").asText()).isEqualTo("malformed JSON: 戒指\n");
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(second.get("line").asLong()).isEqualTo(7);
    assertThat(second.get("field").asText()).isEqualTo("price");
  }

  @Test
  void reasonKeysGroupDetails() {
    assertThat(ValidationReport.reasonKey(new RecordError("f", 1, "x", "price", "absurd price: 2.0E7 > 10000000"))).isEqualTo("price: absurd price");
    assertThat(ValidationReport.reasonKey(new RecordError("f", 1, "x", "images", "image too large (declared 20000x20000): a.jpg"))).isEqualTo("images: image too large");
    assertThat(ValidationReport.reasonKey(new RecordError("f", 1, null, null, "invalid UTF-8 at byte 5 of the line"))).isEqualTo("invalid UTF-8 at byte 5 of the line");
  }

  @Test
  void guiceModuleBindsSingletons() {
    Injector injector = Guice.createInjector(new CatalogModule());
    assertThat(injector.getInstance(CatalogReader.class)).isSameAs(injector.getInstance(CatalogReader.class));
    assertThat(injector.getInstance(ImagePipeline.class).size()).isEqualTo(224);
  }
}
