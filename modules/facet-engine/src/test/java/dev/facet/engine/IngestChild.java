package dev.facet.engine;

import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import java.nio.file.Path;

/** Runs one ingest in its own JVM so a test can kill it with SIGKILL mid-run. */
public final class IngestChild {
  private IngestChild() {}

  public static void main(String[] args) {
    Path work = Path.of(args[0]);
    Path catalog = Path.of(args[1]);
    Path models = Path.of(args[2]);
    try (Facet facet = Facet.open(new FacetConfig(work, models, catalog, 2, Device.CPU, 42L))) {
      System.out.println(facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE).summary());
    }
  }
}
