package dev.facet.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Result of one evaluation run: the split name, the ranking protocol (written as its id and, under
 * {@code ranking}, its description), per model the metrics ({@code recall@10}, {@code recall@20},
 * {@code ndcg@10}, {@code ndcg@20}, {@code hr@10}, {@code mrr}, {@code auc}, {@code coverage@20},
 * {@code cold_recall@20}; NaN when undefined, written as JSON null) and training measurements.
 */
public record EvaluationReport(String split, EvalProtocol protocol, Map<String, Map<String, Double>> models,
    Map<String, Object> training) {
  public EvaluationReport {
    java.util.Objects.requireNonNull(protocol, "protocol");
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
    training = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(training));
  }

  /** Metric of a model, NaN when absent. */
  public double metric(String model, String metric) {
    Map<String, Double> m = models.get(model);
    Double v = m == null ? null : m.get(metric);
    return v == null ? Double.NaN : v;
  }

  /** The {@code eval.json} document. */
  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("split", split);
    root.put("protocol", protocol.id());
    root.put("ranking", protocol.description());
    Map<String, Object> ms = new LinkedHashMap<>();
    models.forEach((name, metrics) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      metrics.forEach((k, v) -> row.put(k, v == null || v.isNaN() ? null : v));
      ms.put(name, row);
    });
    root.put("models", ms);
    root.put("training", training);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (IOException e) {
      throw new FacetException("cannot serialize evaluation report: " + e.getMessage(), e);
    }
  }

  /** A markdown table, one row per model. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("Split: ").append(split).append(", protocol: ").append(protocol.id()).append(" — ")
        .append(protocol.description()).append(".\n\n");
    sb.append("| model |");
    for (String m : Evaluator.METRICS) {
      sb.append(' ').append(m).append(" |");
    }
    sb.append("\n|---|");
    sb.append("---:|".repeat(Evaluator.METRICS.size()));
    sb.append('\n');
    models.forEach((name, metrics) -> {
      sb.append("| ").append(name).append(" |");
      for (String m : Evaluator.METRICS) {
        Double v = metrics.get(m);
        sb.append(' ').append(v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.4f", v)).append(" |");
      }
      sb.append('\n');
    });
    if (!training.isEmpty()) {
      sb.append("\nTraining: ");
      List<String> parts = new ArrayList<>();
      training.forEach((k, v) -> parts.add(k + " = " + v));
      sb.append(String.join("; ", parts)).append('\n');
    }
    return sb.toString();
  }

  /** Writes {@code json}, and beside it the same name with {@code .md} and {@code .png}. */
  public void write(Path json) {
    try {
      Path abs = json.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      String base = abs.getFileName().toString().replaceFirst("\\.json$", "");
      Files.writeString(abs, toJson());
      Files.writeString(abs.resolveSibling(base + ".md"), toMarkdown());
      writeChart(abs.resolveSibling(base + ".png"));
    } catch (IOException e) {
      throw new FacetException("cannot write evaluation report " + json + ": " + e.getMessage(), e);
    }
  }

  private void writeChart(Path png) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(500)
        .title("Facet evaluation (" + split + ", " + protocol.id() + " protocol)").xAxisTitle("model").yAxisTitle("metric").build();
    chart.getStyler().setXAxisLabelRotation(30);
    List<String> names = new ArrayList<>(models.keySet());
    for (String metric : List.of("ndcg@10", "recall@20", "hr@10")) {
      List<Double> values = new ArrayList<>();
      for (String n : names) {
        double v = metric(n, metric);
        values.add(Double.isNaN(v) ? 0.0 : v);
      }
      chart.addSeries(metric, names, values);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
