package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile catalog of the acceptance checks ({@code ../shared/checks/lib_hostile_catalog.py}: 200
 * valid listings and 1,008 malformed ones of 24 kinds, with hostile image files), validated with
 * image decoding: every malformed record must be named in the rejects, by id or line, with a
 * reason, and every valid one kept. Skipped, saying why, when the checks or python3 are absent.
 */
class SharedHostileCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Path projectRoot() {
    return Path.of(System.getProperty("facet.project.root", "../..")).toAbsolutePath().normalize();
  }

  private static void skip(String why) {
    System.out.println("SharedHostileCatalogTest skipped: " + why);
    Assumptions.abort(why);
  }

  private Path generate() throws Exception {
    Path script = projectRoot().resolveSibling("shared").resolve("checks/lib_hostile_catalog.py");
    Path samples = projectRoot().resolve("catalog-samples");
    if (!Files.isRegularFile(script)) {
      skip(script + " is absent (the acceptance checks live in ../shared beside the repository)");
    }
    if (!Files.isRegularFile(samples.resolve("listings.jsonl"))) {
      skip(samples + " holds no listings.jsonl");
    }
    Path out = tmp.resolve("hostile");
    Process p;
    try {
      p = new ProcessBuilder("python3", script.toString(), samples.toString(), out.toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("generator.log").toFile()).start();
    } catch (IOException e) {
      skip("python3 is not available: " + e.getMessage());
      return null;
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("generator finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("generator.log"))).isZero();
    return out;
  }

  @Test
  void everyMalformedListingIsNamedAndEveryValidOneKept() throws Exception {
    Path catalog = generate();
    Path rejects = tmp.resolve("rejects.jsonl");
    ValidationReport report = new CatalogReader(ListingReaderTest.PIPELINE).validate(catalog, true, rejects);
    Set<String> ids = new HashSet<>();
    Set<Long> lines = new HashSet<>();
    for (String line : Files.readAllLines(rejects, StandardCharsets.UTF_8)) {
      JsonNode r = JSON.readTree(line);
      assertThat(r.path("reason").asText()).as(line).isNotBlank();
      assertThat(r.path("file").asText()).as(line).endsWith("listings.jsonl");
      if (!r.path("id").isNull()) {
        ids.add(r.path("id").asText());
      }
      lines.add(r.path("line").asLong());
    }
    List<byte[]> records = splitLines(Files.readAllBytes(catalog.resolve("listings.jsonl")));
    List<String> missed = new ArrayList<>();
    int notMalformed = 0;
    for (String line : Files.readAllLines(catalog.resolve("expected-rejects.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode want = JSON.readTree(line);
      long at = want.path("line").asLong();
      if (want.path("kind").asText().equals("invalid_utf8") && isUtf8(records.get((int) at - 1))) {
        // The generator replaces '"title":"' but json.dumps writes '"title": "': the record comes out
        // as a valid listing, identical to another apart from its id. Nothing to reject.
        notMalformed++;
        continue;
      }
      if (!ids.contains(want.path("id").asText()) && !lines.contains(at)) {
        missed.add(line);
      }
    }
    if (notMalformed > 0) {
      System.out.println("SharedHostileCatalogTest: " + notMalformed + " records of kind invalid_utf8 hold no invalid byte "
          + "(a generator bug); they are valid listings and are not counted");
    }
    assertThat(missed).as("malformed listings not named in the rejects").isEmpty();
    assertThat(report.listings().accepted()).isEqualTo(200 + notMalformed);
  }

  private static List<byte[]> splitLines(byte[] bytes) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        out.add(java.util.Arrays.copyOfRange(bytes, start, i));
        start = i + 1;
      }
    }
    return out;
  }

  private static boolean isUtf8(byte[] line) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
