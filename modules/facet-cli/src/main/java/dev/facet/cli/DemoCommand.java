package dev.facet.cli;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.engine.ModelTraining;
import dev.facet.model.EvaluationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facet demo}: the whole job on the sample catalog — ingest, train, evaluate, recommend for
 * three kinds of visitor, search by photo — with an HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run Facet end to end on the sample catalog: ingest, train, evaluate against baselines, "
        + "recommend with reasons, search by photo; writes an HTML report.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--catalog", description = "Catalog directory. Default: ${DEFAULT-VALUE}", defaultValue = "catalog-samples")
  Path catalog;

  @Option(names = "--out", description = "Report directory. Default: ${DEFAULT-VALUE}", defaultValue = "target/facet-demo")
  Path out;

  @Option(names = "--skip-eval", description = "Skip the baseline comparison (faster).")
  boolean skipEval;

  @Option(names = "--seed", description = "Seed. Default: ${DEFAULT-VALUE}", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws IOException {
    Path dir = BenchCommand.resolveCatalog(catalog);
    Path work = out.resolve("work");
    CommonOptions common = CommonOptions.of(work, seed);
    DemoReport report = new DemoReport(out, dir);
    try (Facet facet = common.open(dir)) {
      ingest(facet, dir, report);
      train(facet, work, report);
      if (!skipEval) {
        evaluate(facet, report);
      }
      String session = recommendations(facet, dir, report);
      similarPhoto(facet, session, report);
    }
    Path html = report.write();
    System.out.println();
    System.out.println("report: " + html.toAbsolutePath());
    return 0;
  }

  private static void ingest(Facet facet, Path dir, DemoReport report) {
    section("1. Ingest " + dir);
    try (ConsoleProgress progress = new ConsoleProgress("embed")) {
      CatalogIngestor.Report ingest = facet.ingestor().ingest(dir, true, progress);
      progress.close();
      System.out.println(ingest.summary());
      report.ingest(ingest.summary());
    }
  }

  private static void train(Facet facet, Path work, DemoReport report) {
    section("2. Train the joint model");
    try (TrainingProgress progress = new TrainingProgress()) {
      if (facet.training().hasModel()) {
        System.out.println("a trained model is already in " + work + "; reusing it (delete that directory to retrain)");
      } else {
        ModelTraining.Result result = facet.training().train(progress);
        progress.close();
        System.out.println("trained: " + result.stats());
        report.training(result.stats().toString());
      }
    }
  }

  private void evaluate(Facet facet, DemoReport report) {
    section("3. Evaluate: joint model vs baselines (temporal leave-last-out, full ranking)");
    try (TrainingProgress progress = new TrainingProgress()) {
      Path json = out.resolve("eval.json");
      // Ablations take most of the time; `facet eval` runs them. The demo compares against every baseline.
      EvaluationReport eval = facet.training().evaluate(json,
          List.of("joint", "popular", "itemknn", "bpr-mf", "content", "oracle"), progress);
      progress.close();
      System.out.println(eval.toMarkdown());
      report.evaluation(eval.toMarkdown(), out.resolve("eval.png"));
    }
  }

  /** Recommends for a warm user, a cold one and an anonymous session; returns the session's first item. */
  private static String recommendations(Facet facet, Path dir, DemoReport report) {
    section("4. Recommendations");
    Map<String, List<Interaction>> histories = histories(facet.catalogReader(), dir);
    String warm = histories.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
        .map(Map.Entry::getKey).orElseThrow();
    String cold = histories.entrySet().stream().filter(e -> e.getValue().size() <= 2).map(Map.Entry::getKey).sorted()
        .findFirst().orElse("u-new-visitor");
    List<String> session = histories.get(warm).stream().map(Interaction::item).distinct().limit(3).toList();
    recommend(facet, report, "warm user " + warm + " (" + histories.get(warm).size() + " events)",
        facet.recommend(warm, 10, Filter.NONE));
    recommend(facet, report, "cold user " + cold + " (" + histories.getOrDefault(cold, List.of()).size() + " events)",
        facet.recommend(cold, 10, Filter.NONE));
    recommend(facet, report, "anonymous session that viewed " + session,
        facet.recommendForSession(session, 10, Filter.NONE));
    return session.get(0);
  }

  private void similarPhoto(Facet facet, String itemId, DemoReport report) throws IOException {
    section("5. Similar listings for a photo");
    Listing subject = facet.index().get(itemId).orElseThrow().listing();
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    byte[] photo = SampleCatalogGenerator.jpeg(generator.renderPhoto(subject, seed * 7919 + 1));
    Files.createDirectories(out);
    Path query = out.resolve("query-photo.jpg");
    Files.write(query, photo);
    System.out.println("query: a new photo of " + subject.id() + " (" + subject.title() + "), shot from another angle: " + query);
    List<SearchHit> hits = facet.similar().byImage(photo, query.toString(), 10, Filter.NONE);
    HitTable.print(hits);
    report.similar(query, subject.id(), hits, facet);
  }

  private static void recommend(Facet facet, DemoReport report, String who, List<Recommendation> recs) {
    System.out.println("-- " + who);
    RecommendCommand.print(facet, recs);
    report.recommendations(who, recs, facet);
  }

  private static Map<String, List<Interaction>> histories(CatalogReader reader, Path dir) {
    Map<String, List<Interaction>> out = new HashMap<>();
    Path file = reader.locate(dir).interactions();
    if (file != null) {
      reader.readInteractions(file, i -> out.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i), e -> { });
    }
    return new LinkedHashMap<>(out);
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("== " + title);
  }
}
