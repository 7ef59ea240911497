package dev.facet.embed;

import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Fusion heads trained from the cached features ({@link FusionVariantsBench}) for several fixed
 * fusions to start from (part weights, projected dims), each with the anchor {@code facet
 * train-encoder --fusion-head} would choose by its validation rule; every anchor's check-set
 * figures are printed so the choice can be audited.
 */
final class FusionHeadSweep {
  private FusionHeadSweep() {}

  static void run(FusionVariants.Sets s, float[][][] views, List<Listing> listings) throws IOException {
    float[][] text;
    try (BertTextEncoder encoder = BertTextEncoder.open(Path.of("models"), ModelFiles.defaultCacheDir())) {
      text = encoder.encode(listings.stream().map(Listing::searchableText).toList());
    }
    FusionHeadTrainer.Data data = FusionHeadTrainer.Data.of(FusionFeatures.of(views), listings, text, 0.1, 42);
    double[][] bases = {{0.8, 384, 128}, {0.7, 384, 128}, {0.6, 384, 128}, {0.7, 320, 192}, {0.6, 320, 192}};
    for (double[] b : bases) {
      FusionHead initial = FusionHead.initial(new int[] {768, 512}, new int[] {(int) b[1], (int) b[2]}, new double[] {b[0], 1 - b[0]},
          new long[] {1, 2});
      FusionHeadValidation before = FusionHeadValidation.measure(initial, data, 3, null);
      String base = String.format("base w=%.1f %d+%d", b[0], (int) b[1], (int) b[2]);
      System.out.println(FusionVariants.row(base + " fixed", s, x -> initial.apply(Collections.singletonList(x))) + "  val " + before);
      for (float anchor : new float[] {0.03f, 0.3f, 1f, 3f}) {
        FusionHeadTrainer.Trained t = FusionHeadTrainer.train(initial, data,
            new FusionHeadTrainer.Settings(60, 42, 64, 1e-3f, anchor, 1f), Device.CPU);
        FusionHeadValidation v = FusionHeadValidation.measure(t.head(), data, 3, t.textMap());
        boolean eligible = v.reshootTop1() >= before.reshootTop1() - FusionHeadTraining.RESHOOT_TOLERANCE;
        System.out.println(FusionVariants.row(base + " head " + anchor, s, x -> t.head().apply(Collections.singletonList(x)))
            + String.format("  val score %.3f re-shoot %.3f %s", v.score(), v.reshootTop1(), eligible ? "eligible" : "-"));
      }
    }
  }
}
