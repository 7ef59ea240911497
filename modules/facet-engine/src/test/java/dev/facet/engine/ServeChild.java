package dev.facet.engine;

import dev.facet.core.EventType;
import dev.facet.core.FacetConfig;
import dev.facet.core.Interaction;
import dev.facet.model.TrainingListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A serving engine in its own JVM, driven line by line on stdin so a test can SIGKILL it in the middle
 * of live writes. Each command runs on its own thread, as concurrent API calls would, and prints
 * {@code ack ...} when it returned, which is when the HTTP API would answer:
 * {@code events TAG N} records N events of user {@code k-TAG}; {@code batch FILE} upserts a batch of
 * listings (printing {@code batch-done N} as it goes); {@code train} retrains and publishes a model.
 */
public final class ServeChild {
  private ServeChild() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path catalog = Path.of(args[1]);
    FacetConfig config = new FacetConfig(work, Path.of(args[2]), catalog, 2, dev.facet.core.Device.CPU, 42L);
    try (Facet facet = EngineFixture.open(config, Integer.parseInt(args[3]))) {
      List<String> items = facet.index().ids().stream().sorted().toList();
      facet.usersWithHistory();
      say("ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        String[] command = line.trim().split(" ");
        Thread.ofPlatform().start(() -> run(facet, catalog, items, command));
      }
    }
  }

  private static void run(Facet facet, Path catalog, List<String> items, String[] command) {
    switch (command[0]) {
      case "events" -> {
        List<Interaction> events = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(command[2]); i++) {
          events.add(new Interaction("k-" + command[1], items.get(i % items.size()), EventType.CLICK,
              Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i)));
        }
        facet.recordEvents(events);
        say("ack events " + command[1]);
      }
      case "batch" -> {
        CatalogIngestor.Report r = facet.ingestor().upsertBatch(Path.of(command[1]), catalog, catalog,
            new CatalogIngestor.Progress() {
              @Override
              public void start(long total) {}

              @Override
              public void advanceTo(long done) {
                say("batch-done " + done);
              }
            });
        say("ack batch " + r.upserted());
      }
      case "train" -> {
        facet.training().train(TrainingListener.NONE);
        say("ack train " + facet.models().generation());
      }
      default -> say("unknown command " + command[0]);
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
