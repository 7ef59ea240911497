package dev.facet.cli;

import dev.facet.catalog.CatalogReader;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.engine.Facet;
import dev.facet.index.IndexedListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The demo's self-contained HTML report: thumbnails are copied next to it, so it opens offline anywhere. */
final class DemoReport {
  private final Path out;
  private final Path catalogDir;
  private final StringBuilder body = new StringBuilder();

  DemoReport(Path out, Path catalogDir) {
    this.out = out;
    this.catalogDir = catalogDir;
  }

  void ingest(String summary) {
    body.append("<h2>Ingestion</h2><pre>").append(escape(summary)).append("</pre>");
  }

  void training(String stats) {
    body.append("<h2>Training</h2><pre>").append(escape(stats)).append("</pre>");
  }

  void evaluation(String markdown, Path chart) {
    body.append("<h2>Evaluation</h2><pre>").append(escape(markdown)).append("</pre>");
    if (Files.exists(chart)) {
      body.append("<img class=chart src=\"").append(out.relativize(chart)).append("\" alt=\"evaluation chart\">");
    }
  }

  void recommendations(String who, List<Recommendation> recs, Facet facet) {
    body.append("<h2>Recommendations for ").append(escape(who)).append("</h2><div class=grid>");
    for (Recommendation r : recs) {
      card(facet, r.itemId(), String.format(Locale.ROOT, "score %.3f", r.score()),
          r.reasons().stream().map(Reason::text).collect(Collectors.joining("; ")));
    }
    body.append("</div>");
  }

  void similar(Path query, String subjectId, List<SearchHit> hits, Facet facet) throws IOException {
    body.append("<h2>Visually similar to a new photo of ").append(escape(subjectId)).append("</h2>");
    body.append("<div class=grid><div class=card><img src=\"").append(out.relativize(query))
        .append("\"><div><b>query photo</b></div></div></div><div class=grid>");
    for (SearchHit h : hits) {
      card(facet, h.id(), String.format(Locale.ROOT, "similarity %.3f", h.score()), h.id().equals(subjectId) ? "the photographed listing" : "");
    }
    body.append("</div>");
  }

  private void card(Facet facet, String id, String score, String note) {
    Optional<IndexedListing> doc = facet.index().get(id);
    body.append("<div class=card>");
    doc.ifPresent(d -> body.append("<img src=\"").append(thumbnail(d.listing().primaryImage())).append("\">"));
    body.append("<div><b>").append(escape(id)).append("</b> ").append(escape(score)).append("</div>");
    doc.ifPresent(d -> body.append("<div>").append(escape(d.listing().title())).append("</div><div>")
        .append(String.format(Locale.ROOT, "¥%,.0f · %s · %s", d.listing().price(), d.listing().material(), d.listing().gemstone()))
        .append("</div>"));
    if (!note.isEmpty()) {
      body.append("<div class=why>").append(escape(note)).append("</div>");
    }
    body.append("</div>");
  }

  private String thumbnail(String imagePath) {
    Path source = CatalogReader.resolveImage(catalogDir.toAbsolutePath(), imagePath);
    Path target = out.resolve("images").resolve(source.getFileName().toString());
    try {
      Files.createDirectories(target.getParent());
      if (Files.exists(source)) {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      return "";
    }
    return "images/" + target.getFileName();
  }

  Path write() throws IOException {
    Files.createDirectories(out);
    Path html = out.resolve("report.html");
    Files.writeString(html, """
        <!doctype html><html lang=en><meta charset=utf-8><title>Facet demo</title>
        <style>body{font-family:sans-serif;margin:24px;max-width:1200px}pre{background:#f5f5f5;padding:8px;overflow:auto}
        .grid{display:flex;flex-wrap:wrap;gap:10px}.card{width:170px;font-size:12px;border:1px solid #ddd;padding:6px;border-radius:6px}
        .card img{width:100%;border-radius:4px}.why{color:#555;margin-top:4px}.chart{max-width:100%}</style>
        <h1>Facet demo report</h1>
        """ + body + "</html>\n");
    return html;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
