package dev.facet.cli;

import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet ingest}: embeds a catalog's listings and writes them to the index. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Validate, embed (image + text) and index a catalog; unchanged listings are skipped, a killed run resumes.")
final class IngestCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, description = "Catalog directory.")
  Path catalog;

  @Option(names = "--delete-missing", description = "Remove indexed listings that are no longer in the catalog.")
  boolean deleteMissing;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    try (Facet facet = common.open(catalog); ConsoleProgress progress = new ConsoleProgress("embed")) {
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, deleteMissing, progress);
      progress.close();
      System.out.println(report.summary());
      return report.indexSize() == 0 ? 2 : 0;
    }
  }
}
