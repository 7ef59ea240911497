package dev.facet.cli;

import dev.facet.catalog.sample.GeneratedCatalog;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facet generate-samples}: the deterministic synthetic jewelry catalog. */
@Command(name = "generate-samples", mixinStandardHelpOptions = true,
    description = "Generate a synthetic jewelry catalog (listings, rendered photos, shoppers, events, ground truth); "
        + "the same seed gives the same bytes.")
final class GenerateSamplesCommand implements Callable<Integer> {
  @Option(names = "--items", description = "Listings. Default: ${DEFAULT-VALUE}", defaultValue = "600")
  int items;

  @Option(names = "--users", description = "Shoppers. Default: ${DEFAULT-VALUE}", defaultValue = "300")
  int users;

  @Option(names = "--seed", description = "Seed. Default: ${DEFAULT-VALUE}", defaultValue = "7")
  long seed;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--contact-sheet", description = "Also write a PNG grid of the first photos with their labels.")
  Path contactSheet;

  @Option(names = "--contact-sheet-count", description = "Photos on the contact sheet. Default: ${DEFAULT-VALUE}", defaultValue = "24")
  int contactSheetCount;

  @Override
  public Integer call() {
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    GeneratedCatalog catalog = generator.generate(items, users, seed, out);
    System.out.printf("generated %s: %d listings (%d without events), %d users (%d cold), %d events%n", catalog.dir(),
        catalog.listings(), catalog.coldItems(), catalog.users(), catalog.coldUsers(), catalog.events());
    if (contactSheet != null) {
      generator.writeContactSheet(out, contactSheetCount, contactSheet);
      System.out.println("contact sheet: " + contactSheet);
    }
    return 0;
  }
}
