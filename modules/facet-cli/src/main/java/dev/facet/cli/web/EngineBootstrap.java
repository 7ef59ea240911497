package dev.facet.cli.web;

import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.model.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a work directory to serving state while the server already listens: ingests the catalog
 * when the index is empty (or when a catalog was named explicitly: unchanged listings are skipped,
 * so this is cheap on a warm work directory), trains the joint model when there is none, then marks
 * the engine ready. Progress goes to {@link EngineState#phase} for {@code /api/health}.
 */
public final class EngineBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(EngineBootstrap.class);

  private EngineBootstrap() {}

  /**
   * Runs start-up on the calling thread; on failure the state becomes FAILED with the message.
   *
   * @param explicitCatalog the catalog named on the command line, or null
   * @param defaultCatalog the catalog to ingest when the work directory has none, or null
   */
  public static void run(Facet facet, Path explicitCatalog, Path defaultCatalog, EngineState state) {
    try {
      Path catalog = prepare(facet, explicitCatalog, defaultCatalog, state);
      state.ready(facet, catalog);
      LOG.info("serving {} listings from {}", facet.index().size(), catalog);
      facet.training().whyNoModel().ifPresent(why -> LOG.info(why));
      AutoTraining.start(facet);
    } catch (RuntimeException | Error e) {
      LOG.error("start-up failed", e);
      state.failed(rootMessage(e));
    }
  }

  /** The innermost message: Guice wraps the engine's own explanation in a long provisioning report. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof dev.facet.core.FacetException && root.getMessage() != null) {
      return root.getMessage(); // the engine's own messages are written for the operator
    }
    return root.getMessage() != null ? root.getClass().getSimpleName() + ": " + root.getMessage()
        : root.getClass().getSimpleName();
  }

  private static Path prepare(Facet facet, Path explicitCatalog, Path defaultCatalog, EngineState state) {
    Optional<Path> last = facet.ingestor().lastCatalog();
    boolean empty = facet.index().size() == 0;
    Path catalog = explicitCatalog != null ? explicitCatalog : last.orElse(defaultCatalog);
    if (explicitCatalog != null || empty || !facet.ingestor().lastIngestComplete()) {
      if (catalog == null || !Files.isDirectory(catalog)) {
        throw new IllegalStateException("the work directory has no index and no catalog directory was found"
            + (catalog == null ? "" : " at " + catalog) + "; pass --catalog");
      }
      state.phase("ingesting " + catalog.getFileName());
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, false, new CatalogIngestor.Progress() {
        private volatile long total;

        @Override
        public void start(long total) {
          this.total = total;
        }

        @Override
        public void advanceTo(long done) {
          state.phase("ingesting: " + done + "/" + total + " listings embedded");
        }
      });
      LOG.info(report.summary());
      if (report.indexSize() == 0) {
        throw new IllegalStateException("the catalog " + catalog + " produced no listings");
      }
    }
    // A shop on day one has too few events to train on: it serves by the fallback until
    // AutoTraining finds enough.
    if (!facet.training().hasModel() && facet.training().due()) {
      state.phase("training the joint model");
      facet.training().train(new TrainingListener() {
        @Override
        public void onEpoch(String model, int epoch, float meanLoss, double validationNdcg10, boolean improved) {
          state.phase(String.format(Locale.ROOT, "training the joint model: epoch %d done (validation NDCG@10 %.3f)",
              epoch + 1, validationNdcg10));
        }
      });
    }
    return catalog;
  }
}
