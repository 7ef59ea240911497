package dev.facet.cli;

import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.engine.UserEraser;
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

  @Option(names = "--delete-missing", description = "Remove indexed listings that are no longer in the catalog. Refused "
      + "(nothing deleted, exit code 3) when the read rejected any record or when it would remove more than --max-delete-share "
      + "of the index.")
  boolean deleteMissing;

  @Option(names = "--max-delete-share", paramLabel = "SHARE",
      description = "Largest share of the indexed listings --delete-missing may remove in one run, in (0, 1]. Default: ${DEFAULT-VALUE}",
      defaultValue = "0.2")
  double maxDeleteShare;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws java.io.IOException, InterruptedException {
    // Built first: a bad --max-delete-share is reported before the encoders load.
    CatalogIngestor.DeletePolicy deletes = deleteMissing
        ? CatalogIngestor.DeletePolicy.deleteMissing(maxDeleteShare) : CatalogIngestor.DeletePolicy.KEEP;
    // A serving engine holds the index: the job goes to it rather than failing on the index lock.
    var server = dev.facet.cli.web.ServeEndpoint.find(common.work);
    if (server.isPresent()) {
      return new RemoteIngest(server.get()).run(catalog, deletes);
    }
    try (Facet facet = common.open(catalog); ConsoleProgress progress = new ConsoleProgress("embed")) {
      UserEraser.of(facet).applyRetention();
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, deletes, progress);
      progress.close();
      System.out.println(report.summary());
      if (report.indexSize() == 0) {
        return 2;
      }
      // The index is consistent but the sync the caller asked for did not happen: a script must notice.
      return report.deleteRefused() != null ? 3 : 0;
    }
  }
}
