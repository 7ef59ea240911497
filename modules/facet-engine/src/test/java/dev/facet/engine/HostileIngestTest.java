package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ingest of a catalog that fights back: hostile records and images, and a read that lost listings. */
class HostileIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static List<String> lines(Path catalog) throws IOException {
    return new ArrayList<>(Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8));
  }

  private static void write(Path catalog, List<String> lines) throws IOException {
    Files.write(catalog.resolve("listings.jsonl"), lines, StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void deleteMissingRefusesAfterRejectsOrBeyondItsShareOfTheIndex() throws IOException {
    Path catalog = EngineFixture.generateCatalog(dir.resolve("catalog"), 20, 4, 5L);
    List<String> all = lines(catalog);
    try (Facet facet = EngineFixture.open(EngineFixture.config(dir.resolve("work"), catalog), 1)) {
      CatalogIngestor ingestor = facet.ingestor();
      assertThat(ingestor.ingest(catalog, false, CatalogIngestor.Progress.NONE).indexSize()).isEqualTo(20);

      // One broken line: its listing is missing from the read, not from the catalog.
      List<String> broken = new ArrayList<>(all);
      broken.set(4, broken.get(4).substring(0, 30));
      write(catalog, broken);
      CatalogIngestor.Report refused = ingestor.ingest(catalog, true, CatalogIngestor.Progress.NONE);
      assertThat(refused.deleted()).isZero();
      assertThat(refused.indexSize()).isEqualTo(20);
      assertThat(refused.deleteRefused()).contains("the read rejected 1 records");
      assertThat(refused.summary()).contains("--delete-missing refused: ");

      // Five listings gone is a quarter of the index: more than the default fifth.
      write(catalog, all.subList(5, 20));
      CatalogIngestor.Report tooMany = ingestor.ingest(catalog, true, CatalogIngestor.Progress.NONE);
      assertThat(tooMany.deleted()).isZero();
      assertThat(tooMany.deleteRefused()).contains("it would delete 5 of the 20 indexed listings (25.0%, over the 20% limit)")
          .contains("--max-delete-share 0.25");
      CatalogIngestor.Report allowed = ingestor.ingest(catalog, CatalogIngestor.DeletePolicy.deleteMissing(0.25),
          CatalogIngestor.Progress.NONE);
      assertThat(allowed.deleted()).isEqualTo(5);
      assertThat(allowed.deleteRefused()).isNull();
      assertThat(allowed.indexSize()).isEqualTo(15);

      write(catalog, all.subList(6, 20));
      assertThat(ingestor.ingest(catalog, true, CatalogIngestor.Progress.NONE).deleted()).isEqualTo(1);
    } finally {
      write(catalog, all);
    }
    assertThatThrownBy(() -> CatalogIngestor.DeletePolicy.deleteMissing(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusalNamesItsCause() {
    CatalogIngestor.DeletePolicy fifth = CatalogIngestor.DeletePolicy.deleteMissing(0.2);
    assertThat(CatalogIngestor.deleteRefusal(0, 0, 100, fifth)).isNull();
    assertThat(CatalogIngestor.deleteRefusal(0, 20, 100, fifth)).isNull();
    assertThat(CatalogIngestor.deleteRefusal(0, 21, 100, fifth)).contains("21 of the 100").contains("--max-delete-share 0.21");
    assertThat(CatalogIngestor.deleteRefusal(3, 1, 100, fifth)).contains("rejected 3 records");
    assertThat(CatalogIngestor.deleteRefusal(0, 191, 200, fifth)).contains("--max-delete-share 0.96");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void hostileListingsAreRejectedOnTheirLinesAndEveryValidOneIndexed() throws Exception {
    Path catalog = EngineFixture.generateCatalog(dir.resolve("catalog"), 8, 4, 7L);
    List<String> lines = lines(catalog);
    String template = lines.get(0);
    String image = JSON.readTree(template).get("images").get(0).asText();
    byte[] jpeg = Files.readAllBytes(catalog.resolve(image));
    Files.write(catalog.resolve("images/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    Files.write(catalog.resolve("images/twosof.jpg"), twoSof(jpeg, 30000, 30000));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.write(outside.resolve("private.jpg"), jpeg);
    Files.createSymbolicLink(catalog.resolve("images/leak.jpg"), outside.resolve("private.jpg"));
    boolean fifo = mkfifo(catalog.resolve("images/fifo.jpg"));
    List<String> hostile = new ArrayList<>(List.of(
        "[\"" + image + "\",\"images/cut.jpg\"]",
        "[\"images/a\\u0000.jpg\"]",
        "[\"../../../../../../etc/passwd\"]",
        "[\"/etc/hostname\"]",
        "[\"images/leak.jpg\"]",
        "[\"images/twosof.jpg\"]"));
    if (fifo) {
      hostile.add("[\"images/fifo.jpg\"]");
    }
    for (int i = 0; i < hostile.size(); i++) {
      lines.add(template.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"H-" + i + "\"").replaceFirst("\"images\":\\[[^]]*]",
          "\"images\":" + hostile.get(i)));
    }
    write(catalog, lines);
    try (Facet facet = EngineFixture.open(EngineFixture.config(dir.resolve("work"), catalog), 1)) {
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(report.indexSize()).isEqualTo(8);
      assertThat(report.rejected()).isEqualTo(hostile.size());
      assertThat(report.summary()).contains("index holds 8");
      List<JsonNode> rejects = new ArrayList<>();
      for (String line : Files.readAllLines(report.rejectsFile(), StandardCharsets.UTF_8)) {
        rejects.add(JSON.readTree(line));
      }
      assertThat(rejects).extracting(r -> r.get("id").asText()).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, hostile.size()).mapToObj(i -> "H-" + i).toList());
      assertThat(rejects).allSatisfy(r -> {
        assertThat(r.get("line").asLong()).isGreaterThan(8);
        assertThat(r.get("field").asText()).isEqualTo("images");
      });
      assertThat(rejects.get(0).get("reason").asText()).contains("truncated JPEG").contains("images/cut.jpg");
      assertThat(rejects.get(4).get("reason").asText()).contains("outside the catalog directory");
      assertThat(rejects.get(5).get("reason").asText()).contains("declared 30000x30000");
    }
  }

  private static boolean mkfifo(Path path) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      System.out.println("HostileIngestTest: no FIFO case, mkfifo is not available: " + e.getMessage());
      return false;
    }
  }

  /** The first SOF rewritten to {@code w × h}, the original appended before EOI (as lib_hostile_catalog.py does). */
  private static byte[] twoSof(byte[] jpeg, int w, int h) {
    int i = 2;
    while (true) {
      int marker = jpeg[i + 1] & 0xFF;
      int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        byte[] segment = Arrays.copyOfRange(jpeg, i, i + 2 + length);
        byte[] head = Arrays.copyOf(jpeg, jpeg.length - 2);
        head[i + 5] = (byte) (h >> 8);
        head[i + 6] = (byte) h;
        head[i + 7] = (byte) (w >> 8);
        head[i + 8] = (byte) w;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(segment);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
      }
      i += 2 + length;
    }
  }
}
