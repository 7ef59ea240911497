package dev.facet.cli;

import dev.facet.model.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bar per model and epoch, showing the running loss and the validation NDCG@10. */
final class TrainingProgress implements TrainingListener, AutoCloseable {
  private ProgressBar bar;
  private String model = "";
  private int epoch = -1;
  private double lastNdcg = Double.NaN;
  private String lastPhase = "";

  @Override
  public synchronized void onPhase(String model, String phase) {
    String key = model + "/" + phase;
    if (!key.equals(lastPhase)) {
      close();
      this.model = model;
      lastPhase = key;
      System.out.println("[" + model + "] " + phase);
    }
  }

  @Override
  public synchronized void onStep(String model, int epoch, int step, int stepsPerEpoch, float loss) {
    if (bar == null || epoch != this.epoch || !model.equals(this.model)) {
      close();
      this.model = model;
      this.epoch = epoch;
      // System.err, not the library's default FileDescriptor.err (see ConsoleProgress)
      bar = new ProgressBarBuilder().setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setTaskName(model + " epoch " + (epoch + 1)).setInitialMax(stepsPerEpoch)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
    }
    bar.stepTo(step + 1L);
    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s", loss,
        Double.isNaN(lastNdcg) ? "" : String.format(Locale.ROOT, " val ndcg@10 %.4f", lastNdcg)));
  }

  @Override
  public synchronized void onEpoch(String model, int epoch, float meanLoss, double validationNdcg10, boolean improved) {
    lastNdcg = validationNdcg10;
    close();
    System.out.printf(Locale.ROOT, "[%s] epoch %d: loss %.4f, validation ndcg@10 %.4f%s%n", model, epoch + 1, meanLoss,
        validationNdcg10, improved ? " (best)" : "");
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
