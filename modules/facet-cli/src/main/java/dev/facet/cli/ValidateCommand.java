package dev.facet.cli;

import dev.facet.catalog.ValidationReport;
import dev.facet.engine.Facet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet validate}: reads every record and image of a catalog and reports counts and rejects. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Read every listing, interaction, user and image of a catalog; print counts and reject reasons.")
final class ValidateCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, description = "Catalog directory (listings.jsonl|csv, interactions, users, images/).")
  Path catalog;

  @Option(names = "--rejects", description = "Where to write rejects.jsonl. Default: <work>/rejects.jsonl")
  Path rejects;

  @Option(names = "--no-images", description = "Skip decoding images (faster; image files are then not checked).")
  boolean noImages;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    try (Facet facet = common.open(catalog)) {
      Path rejectsFile = rejects != null ? rejects : common.work.resolve("rejects.jsonl");
      ValidationReport report = facet.catalogReader().validate(catalog, !noImages, rejectsFile);
      System.out.print(report.summary());
      System.out.println("rejects: " + report.rejected());
      if (!report.usable()) {
        System.err.println("facet validate: nothing usable in " + catalog);
        return 2;
      }
      return 0;
    }
  }
}
