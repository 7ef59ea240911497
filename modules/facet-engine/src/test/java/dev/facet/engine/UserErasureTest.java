package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.EventType;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure proven the way an auditor would: every byte of the work directory (and of every gzip and
 * zip member in it) is scanned for the id before and after {@code forget}, and again after the same
 * catalog, which still holds the user, is ingested and trained on once more.
 */
class UserErasureTest {
  @TempDir
  Path tmp;

  private Facet facet;

  @AfterEach
  void close() {
    if (facet != null) {
      facet.close();
    }
    System.clearProperty(EventRetention.PROPERTY);
  }

  @Test
  void forgottenUserLeavesNoByteInTheWorkDirectoryAndStaysForgotten() throws IOException {
    Path catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), 60, 40, 5);
    Path work = tmp.resolve("work");
    facet = EngineFixture.open(EngineFixture.config(work, catalog), 2);
    facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    String gone = firstUser(catalog);
    String kept = otherUser(catalog, gone);
    String item = facet.index().ids().iterator().next();
    facet.recordEvent(new Interaction(gone, item, EventType.CLICK, Instant.now()));
    facet.recordEvent(new Interaction(kept, item, EventType.CLICK, Instant.now()));
    facet.training().train(new dev.facet.model.TrainingListener() {});
    Files.writeString(work.resolve("operator-notes.txt"), "asked about " + gone + "\nnothing else\n");
    gzip(work.resolve("serve.log.gz"), "GET /api/recommend?user=" + gone + "\nGET /api/health\n");
    zip(work.resolve("export.zip"), gone + " clicked " + item);
    assertThat(holding(work, gone)).contains(work.resolve("events.jsonl"), work.resolve("model/joint.model"),
        work.resolve("model/checkpoints/last.ckpt"), work.resolve("operator-notes.txt"), work.resolve("serve.log.gz"));

    UserEraser.Report report = UserEraser.of(facet).forget(gone);

    // Facet writes no zip files; one left by hand is reported, not silently kept.
    assertThat(report.remaining()).containsExactly(work.resolve("export.zip"));
    Files.delete(work.resolve("export.zip"));
    assertThat(holding(work, gone)).isEmpty();
    assertThat(report.modelFiles()).contains(work.resolve("model/joint.model"));
    assertThat(Files.readString(work.resolve("operator-notes.txt"))).isEqualTo("nothing else\n");
    assertThat(historyReasons(facet.recommend(gone, 10, Filter.NONE))).isEmpty();
    assertThat(historyReasons(facet.recommend(kept, 10, Filter.NONE))).isNotEmpty();
    facet.recordEvent(new Interaction(gone, item, EventType.PURCHASE, Instant.now()));
    assertThat(holding(work, gone)).as("an erased id's new events are dropped").isEmpty();
    facet.close();

    facet = EngineFixture.open(EngineFixture.config(work, catalog), 2);
    assertThat(facet.recommendations(kept, 10, Filter.NONE).generation())
        .as("the rewritten model is still the index's generation after a restart").isNotNull();
    assertThat(historyReasons(facet.recommend(kept, 10, Filter.NONE))).isNotEmpty();
    facet.ingestor().ingest(catalog, true, CatalogIngestor.Progress.NONE);
    facet.training().train(new dev.facet.model.TrainingListener() {});
    assertThat(holding(work, gone)).as("after re-ingest and retraining").isEmpty();
    assertThat(historyReasons(facet.recommend(gone, 10, Filter.NONE))).isEmpty();
    assertThat(holding(work, kept)).contains(work.resolve("events.jsonl"), work.resolve("model/joint.model"));
  }

  @Test
  void retentionDropsOldEventsFromTheEventsFileAndFromLoads() throws IOException {
    Path catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), 30, 10, 7);
    Path work = tmp.resolve("work");
    facet = EngineFixture.open(EngineFixture.config(work, catalog), 1);
    facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    String item = facet.index().ids().iterator().next();
    facet.recordEvent(new Interaction("u-old", item, EventType.CLICK, Instant.now().minus(400, ChronoUnit.DAYS)));
    facet.recordEvent(new Interaction("u-new", item, EventType.CLICK, Instant.now().minus(2, ChronoUnit.DAYS)));
    EventRetention.set(30);

    assertThat(UserEraser.of(facet).applyRetention()).isEqualTo(1);

    String events = Files.readString(work.resolve("events.jsonl"));
    assertThat(events).doesNotContain("u-old").contains("u-new");
    facet.close();
    facet = EngineFixture.open(EngineFixture.config(work, catalog), 1);
    // the generated catalog's own events are older than 30 days: a load keeps only the recent one
    assertThat(facet.behaviour().allInteractions()).extracting(Interaction::user).containsExactly("u-new");
  }

  private static List<Reason> historyReasons(List<Recommendation> recs) {
    List<Reason> out = new ArrayList<>();
    for (Recommendation r : recs) {
      for (Reason reason : r.reasons()) {
        if (reason.kind() == Reason.Kind.SIMILAR_TO_HISTORY) {
          out.add(reason);
        }
      }
    }
    return out;
  }

  private static String firstUser(Path catalog) throws IOException {
    String line = Files.readAllLines(catalog.resolve("interactions.jsonl")).get(0);
    return new ObjectMapper().readTree(line).get("user").asText();
  }

  private static String otherUser(Path catalog, String not) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(catalog.resolve("interactions.jsonl"))) {
      String u = json.readTree(line).get("user").asText();
      if (!u.equals(not) && !u.contains(not) && !not.contains(u)) {
        return u;
      }
    }
    throw new AssertionError("one user only");
  }

  /** Files whose raw bytes, or whose gzip / zip contents, hold {@code id}: what the acceptance check greps. */
  static List<Path> holding(Path dir, String id) throws IOException {
    byte[] needle = id.getBytes(StandardCharsets.UTF_8);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException e) {
          continue; // a segment file Lucene released (merged away, or its last reader closed) meanwhile
        }
        if (indexOf(bytes, needle) >= 0 || indexOf(unpacked(f, bytes), needle) >= 0) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static byte[] unpacked(Path f, byte[] bytes) {
    String name = f.getFileName().toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (name.endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
          in.transferTo(out);
        }
      } else if (name.endsWith(".zip") || name.endsWith(".jar")) {
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
          for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
            out.write(e.getName().getBytes(StandardCharsets.UTF_8));
            zip.transferTo(out);
          }
        }
      }
    } catch (IOException e) {
      // not really compressed: the raw bytes were scanned
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void zip(Path file, String text) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new ZipEntry("export.txt"));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
