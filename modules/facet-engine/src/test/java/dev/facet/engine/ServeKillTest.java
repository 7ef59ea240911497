package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.core.Filter;
import dev.facet.index.VectorField;
import dev.facet.model.JointModel;
import dev.facet.model.TrainingListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a serving engine ({@link ServeChild}, its own JVM) in the middle of a live batch upsert with
 * events arriving, and in the middle of a model swap, then opens the work directory again: every
 * acknowledged event is there exactly once, a batch is whole or absent (whole when acknowledged), and
 * the served model and the item vectors in the index are one generation.
 */
class ServeKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EPOCHS = 2;
  private static final int BATCH = 8;
  private static final int EVENTS = 5;

  @TempDir
  Path tmp;

  /** Events sent per tag, and the tags the child acknowledged. */
  private final List<String> sent = new ArrayList<>();
  private final Set<String> acked = new HashSet<>();
  private boolean batchAcked;

  @Test
  void killedDuringALiveBatchAndDuringAModelSwapLosesNothingAcknowledged() throws Exception {
    Path catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), 40, 20, 11);
    Path work = tmp.resolve("work");
    String first;
    try (Facet facet = EngineFixture.open(EngineFixture.config(work, catalog), EPOCHS)) {
      facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      facet.training().train(TrainingListener.NONE);
      first = facet.models().generation();
    }
    Path batch = tmp.resolve("batch.jsonl");
    List<String> batchIds = writeBatch(catalog, batch);
    killDuringBatch(work, catalog, batch);
    assertThat(sent).as("events were sent while the batch ran").isNotEmpty();
    assertThat(check(work, catalog, batchIds)).as("no model was trained").isEqualTo(first);
    List<String> generations = new ArrayList<>();
    for (boolean afterVectors : new boolean[] {false, true}) {
      killDuringSwap(work, catalog, afterVectors);
      generations.add(check(work, catalog, batchIds));
    }
    assertThat(generations.get(1)).as("killed once the new vectors were committed: the new generation").isNotEqualTo(first);
    System.out.println("generation before: " + first + ", after each kill during a swap: " + generations
        + "; events acknowledged " + acked.size() + " of " + sent.size() + " sent, batch acknowledged: " + batchAcked);
  }

  /** Upserts a batch of new listings with events arriving every 20 ms; kills once the batch is under way. */
  private void killDuringBatch(Path work, Path catalog, Path batch) throws Exception {
    Child child = new Child(work, catalog);
    child.send("batch " + batch);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    boolean underWay = false;
    for (int tag = 0; !underWay && System.nanoTime() < deadline; tag++) {
      sent.add("t" + tag);
      child.send("events t" + tag + " " + EVENTS);
      for (String line; (line = child.lines.poll(20, TimeUnit.MILLISECONDS)) != null; ) {
        underWay |= line.startsWith("batch-done ") || line.startsWith("ack batch");
      }
    }
    assertThat(underWay).as("the batch started").isTrue();
    child.kill();
  }

  /**
   * Retrains and kills as soon as the next model is staged (before its vectors), or as soon as the
   * index commits the vectors naming it (before the model file is renamed into place).
   */
  private void killDuringSwap(Path work, Path catalog, boolean afterVectors) throws Exception {
    String committed = committedDigest(work);
    Child child = new Child(work, catalog);
    child.send("train");
    Path next = work.resolve("model").resolve("joint.model.next");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (child.process.isAlive() && System.nanoTime() < deadline
        && (afterVectors ? committed.equals(committedDigest(work)) : !Files.exists(next))) {
      Thread.sleep(1);
    }
    child.kill();
  }

  /** The model digest the index's last commit names, read as another process would. */
  private static String committedDigest(Path work) throws IOException {
    try (org.apache.lucene.store.Directory dir = org.apache.lucene.store.FSDirectory.open(work.resolve("index"))) {
      return org.apache.lucene.index.SegmentInfos.readLatestCommit(dir).getUserData().get(ModelHolder.KEY_MODEL_DIGEST);
    }
  }

  /** Opens the work directory as a restarted server would and checks it; returns the generation served. */
  private String check(Path work, Path catalog, List<String> batchIds) {
    try (Facet facet = EngineFixture.open(EngineFixture.config(work, catalog), EPOCHS)) {
      for (String tag : sent) {
        int n = facet.history("k-" + tag, 1000).size();
        if (acked.contains(tag)) {
          assertThat(n).as("acknowledged events of %s", tag).isEqualTo(EVENTS);
        } else {
          assertThat(n).as("unacknowledged events of %s: all or none", tag).isIn(0, EVENTS);
        }
      }
      Set<String> ids = facet.index().ids();
      assertThat(facet.index().size()).as("one document per listing").isEqualTo(ids.size());
      long present = batchIds.stream().filter(ids::contains).count();
      assertThat(present).as("listings of the batch").isIn(batchAcked ? List.of((long) BATCH) : List.of(0L, (long) BATCH));
      String digest = facet.index().lastCommitUserData().get(ModelHolder.KEY_MODEL_DIGEST);
      JointModel model = facet.models().current().orElseThrow();
      String generation = facet.models().generation();
      assertThat(digest).startsWith(generation);
      Map<String, float[]> trained = model.allItemVectors();
      trained.keySet().retainAll(ids);
      Map<String, float[]> indexed = facet.index().vectors(VectorField.JOINT, trained.keySet());
      assertThat(trained).isNotEmpty();
      trained.forEach((id, v) -> assertThat(indexed.get(id)).as("joint vector of %s", id).isEqualTo(v));
      String user = facet.usersWithHistory().get(0);
      assertThat(facet.recommendations(user, 5, Filter.NONE).generation()).isEqualTo(generation);
      return generation;
    }
  }

  private static List<String> writeBatch(Path catalog, Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (String line : Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8).subList(0, BATCH)) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      node.put("id", "kb-" + node.get("id").asText());
      ids.add(node.get("id").asText());
      body.append(JSON.writeValueAsString(node)).append('\n');
    }
    Files.writeString(file, body.toString(), StandardCharsets.UTF_8);
    return ids;
  }

  /** A running {@link ServeChild}: its output lines as they come, acknowledgements recorded. */
  private final class Child {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Writer in;

    Child(Path work, Path catalog) throws Exception {
      process = ChildJvm.start(ServeChild.class, ProcessBuilder.Redirect.PIPE, work.toString(), catalog.toString(),
          EngineFixture.modelsDir().toAbsolutePath().toString(), Integer.toString(EPOCHS));
      in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      reader = Thread.ofPlatform().start(this::read);
      String line;
      do {
        line = lines.poll(3, TimeUnit.MINUTES);
        assertThat(line).as("the child started").isNotNull();
      } while (!line.equals("ready"));
    }

    private void read() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          // An acknowledgement printed before the kill was an answer the client got.
          if (line.startsWith("ack events ")) {
            synchronized (ServeKillTest.this) {
              acked.add(line.substring("ack events ".length()));
            }
          }
          if (line.startsWith("ack batch ")) {
            batchAcked = true;
          }
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read failed: " + e);
      }
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }

    /** SIGKILL, then every line printed before it is read. */
    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
      reader.join();
    }
  }
}
