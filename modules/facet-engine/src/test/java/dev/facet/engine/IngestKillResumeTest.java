package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.index.CatalogIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an ingesting JVM with SIGKILL at random moments, ten times over, and checks that the index
 * always opens cleanly with no duplicate and nothing outside the catalog, and that a resumed run
 * ends with every valid listing in the index exactly once.
 */
class IngestKillResumeTest {
  private static final int TRIALS = 10;
  private static final int ITEMS = 96;

  @TempDir
  Path tmp;

  @Test
  void killedIngestResumesToACompleteIndex() throws Exception {
    Path catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), ITEMS, 10, 5);
    Set<String> expected = new HashSet<>();
    for (String line : Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8)) {
      expected.add(line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
    }
    Path work = tmp.resolve("work");
    Random random = new Random(20261123L);
    List<Integer> sizesAfterKill = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      // Change every listing's price so each run has the whole catalog to re-embed and is
      // killed in the middle of real work, not after a no-op.
      repriceAll(catalog, trial);
      Process child = startChild(work, catalog, ProcessBuilder.Redirect.PIPE);
      // Kill at a random point of the embedding phase (counted in listings, so slow machines
      // do not shift the kills into start-up), plus a random few milliseconds.
      int killAfter = random.nextInt(ITEMS);
      long jitterMillis = random.nextInt(200);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("done ") && Long.parseLong(line.substring(5)) >= killAfter) {
            Thread.sleep(jitterMillis);
            break;
          }
        }
      }
      child.destroyForcibly().waitFor();
      int size = checkIndex(work, expected);
      sizesAfterKill.add(size);
    }
    Process resume = startChild(work, catalog, ProcessBuilder.Redirect.PIPE);
    assertThat(resume.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(resume.exitValue()).as(new String(resume.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(checkIndex(work, expected)).isEqualTo(ITEMS);
    try (Facet facet = Facet.open(EngineFixture.config(work, catalog))) {
      assertThat(facet.ingestor().lastIngestComplete()).as("the resumed run recorded completion").isTrue();
    }
    try (CatalogIndex index = openIndex(work)) {
      for (String id : expected) {
        assertThat(index.get(id).orElseThrow().listing().price()).as("latest version of " + id).isEqualTo(PRICE_BASE + TRIALS - 1);
      }
    }
    // Progress survives kills: some trial committed part of the catalog before dying.
    assertThat(sizesAfterKill).anyMatch(n -> n > 0);
    System.out.println("index size after each SIGKILL: " + sizesAfterKill + ", after resume: " + ITEMS);
  }

  private static final double PRICE_BASE = 1000;

  private static void repriceAll(Path catalog, int trial) throws IOException {
    Path file = catalog.resolve("listings.jsonl");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(line.replaceFirst("\"price\":[0-9.]+", "\"price\":" + (PRICE_BASE + trial)));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static CatalogIndex openIndex(Path work) {
    return CatalogIndex.open(work.resolve("index"), EngineModule.settingsFor(EngineFixture.config(work, null),
        dev.facet.embed.EmbedSettings.defaults(), dev.facet.model.JointModelConfig.builder().build().vectorDim()));
  }

  /** Opens the index as a fresh process would and checks its invariants; returns its size. */
  private static int checkIndex(Path work, Set<String> expected) {
    Path dir = work.resolve("index");
    if (!Files.exists(dir)) {
      return 0;
    }
    try (CatalogIndex index = openIndex(work)) {
      Set<String> ids = index.ids();
      assertThat(index.size()).as("one document per id").isEqualTo(ids.size());
      assertThat(expected).containsAll(ids);
      for (String id : ids) {
        assertThat(index.get(id)).isPresent();
      }
      return ids.size();
    }
  }

  private static Process startChild(Path work, Path catalog, ProcessBuilder.Redirect output) throws IOException {
    return ChildJvm.start(IngestChild.class, output, work.toString(), catalog.toString(),
        EngineFixture.modelsDir().toAbsolutePath().toString());
  }
}
