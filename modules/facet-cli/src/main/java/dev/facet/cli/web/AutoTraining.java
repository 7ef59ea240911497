package dev.facet.cli.web;

import dev.facet.engine.Facet;
import dev.facet.engine.ModelTraining;
import dev.facet.model.TrainingListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the served engine's model in the background when {@link ModelTraining#due} says so: the
 * first model once {@link ModelTraining#MIN_EVENTS_TO_TRAIN} events have arrived, later ones when
 * the events grew by {@link ModelTraining#RETRAIN_GROWTH}. Training reads a snapshot and the new
 * model replaces the old one in the running engine, so no restart is needed.
 */
final class AutoTraining {
  private static final Logger LOG = LoggerFactory.getLogger(AutoTraining.class);
  /** How often the event count is looked at. */
  static final long CHECK_SECONDS = 5;

  private AutoTraining() {}

  static ScheduledExecutorService start(Facet facet) {
    return start(facet, TimeUnit.SECONDS.toMillis(CHECK_SECONDS));
  }

  /** As {@link #start(Facet)}, looking every {@code checkMillis}. */
  static ScheduledExecutorService start(Facet facet, long checkMillis) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "facet-auto-training");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> trainIfDue(facet), checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    return timer;
  }

  private static void trainIfDue(Facet facet) {
    try {
      if (!facet.training().due()) {
        return;
      }
      LOG.info("training the joint model in the background");
      ModelTraining.Result r = facet.training().train(new TrainingListener() {});
      LOG.info("new model serving: {} item vectors written", r.itemVectorsWritten());
    } catch (RuntimeException | Error e) {
      // The served model (or the fallback) stays; the next check tries again.
      LOG.error("background training failed", e);
    }
  }
}
