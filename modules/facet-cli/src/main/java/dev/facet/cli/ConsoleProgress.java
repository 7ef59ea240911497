package dev.facet.cli;

import dev.facet.engine.CatalogIngestor;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar for long runs (ingestion, training). */
final class ConsoleProgress implements CatalogIngestor.Progress, AutoCloseable {
  private final String task;
  private ProgressBar bar;

  ConsoleProgress(String task) {
    this.task = task;
  }

  @Override
  public void start(long total) {
    close();
    // System.err, not the library's default FileDescriptor.err: that descriptor carries native libraries'
    // output to their log file (NativeStderr).
    bar = new ProgressBarBuilder().setConsumer(new ConsoleProgressBarConsumer(System.err)).setTaskName(task)
        .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
  }

  @Override
  public void advanceTo(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  /** Sets a short message after the bar (e.g. the current loss). */
  void extra(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
