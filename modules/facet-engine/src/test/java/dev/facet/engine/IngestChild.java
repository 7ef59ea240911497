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
      CatalogIngestor.Progress progress = new CatalogIngestor.Progress() {
        @Override
        public void start(long total) {
          System.out.println("embedding " + total);
          System.out.flush();
        }

        @Override
        public void advanceTo(long done) {
          System.out.println("done " + done);
          System.out.flush();
        }
      };
      System.out.println(facet.ingestor().ingest(catalog, false, progress).summary());
    }
  }
}
