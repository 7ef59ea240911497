package dev.facet.embed;

import dev.facet.core.Listing;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Fusion variants compared from cached part features ({@link FusionVariantsBench}); prints one row per variant. */
final class FusionVariants {
  static final int INC = 768;
  static final int RES = 512;

  record Scores(double p1, double p5, double c1, double c5, double cat, double mat) {
    double worstMargin() {
      return Math.min(Math.min(p1 - 0.85, p5 - 0.97), Math.min(Math.min(c5 - 0.92, cat - 0.9), mat - 0.66));
    }

    @Override
    public String toString() {
      return String.format("photos %.3f/%.3f  catalog top-1 %.3f top-5 %.3f cat %.3f mat %.3f  worst %+.3f", p1, p5, c1, c5, cat,
          mat, worstMargin());
    }
  }

  record Sets(float[][] p0, float[][] p1, float[][] c0, float[][] c1, float[][] fit, List<Listing> listings) {}

  private FusionVariants() {}

  static void main(Path cache) throws IOException {
    float[][] c0 = FusionVariantsBench.read(cache.resolve("catalog-orig.f32"));
    Path train = cache.resolve("head-train.features");
    float[][] fit = Files.isRegularFile(train) && !"catalog".equals(System.getProperty("fit")) ? trainingViews(train) : c0;
    Sets s = new Sets(FusionVariantsBench.read(cache.resolve("photos-orig.f32")), FusionVariantsBench.read(cache.resolve("photos-shot.f32")),
        c0, FusionVariantsBench.read(cache.resolve("catalog-shot.f32")), fit, FusionVariantsBench.listings());
    System.out.println("fit set: " + fit.length + " rows");
    if ("lw3".equals(System.getProperty("mode"))) {
      float[][][] all = trainingListings(train);
      float[][][] renders = new float[all.length][][];
      for (int l = 0; l < all.length; l++) {
        renders[l] = java.util.Arrays.copyOf(all[l], 4);
      }
      PartMaps res = PartMaps.fit(s.fit(), INC, RES);
      for (double shrink : new double[] {0.1, 1}) {
        CentredProjection li = LearnedWhitening.fit(renders, 0, INC, shrink);
        CentredProjection lr = LearnedWhitening.fit(renders, INC, RES, shrink);
        for (double w : new double[] {0.4, 0.5, 0.6, 0.7}) {
          String tag = " renders only 384+128 shrink " + shrink + " w=" + w;
          System.out.println(row("lw both" + tag, s, fuse(w, li.map(384), lr.map(128))));
          System.out.println(row("lw inc, rp res" + tag, s, fuse(w, li.map(384), res.random(128, 2))));
        }
      }
      return;
    }
    if ("three".equals(System.getProperty("mode"))) {
      threeParts(s, trainingListings(train));
      return;
    }
    if ("heads".equals(System.getProperty("mode"))) {
      FusionHeadSweep.run(s, trainingListings(train), s.listings());
      return;
    }
    if ("lw2".equals(System.getProperty("mode"))) {
      learnedWhitening2(s, trainingListings(train));
      return;
    }
    if ("lw".equals(System.getProperty("mode"))) {
      learnedWhitening(s, trainingListings(train));
      return;
    }
    List<String> rows = new ArrayList<>();
    FusionHead head = FusionHead.load(Path.of("models/image-fused-trained/image-fused-trained.head"));
    rows.add(row("trained head (committed default)", s, x -> head.apply(java.util.Collections.singletonList(x))));
    PartMaps inc = PartMaps.fit(s.fit(), 0, INC);
    PartMaps res = PartMaps.fit(s.fit(), INC, RES);
    for (double w : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
      rows.add(row("raw 1280 w=" + w, s, fuse(w, inc.raw(), res.raw())));
      rows.add(row("centered 1280 w=" + w, s, fuse(w, inc.centered(), res.centered())));
      rows.add(row("rp 384+128 w=" + w, s, fuse(w, inc.random(384, 1), res.random(128, 2))));
      for (int[] k : new int[][] {{384, 128}, {320, 192}, {256, 256}}) {
        String dims = k[0] + "+" + k[1];
        rows.add(row("pca " + dims + " w=" + w, s, fuse(w, inc.pca(k[0], 0), res.pca(k[1], 0))));
        rows.add(row("pca-whiten0.5 " + dims + " w=" + w, s, fuse(w, inc.pca(k[0], 0.5), res.pca(k[1], 0.5))));
        rows.add(row("pca-whiten0.25 " + dims + " w=" + w, s, fuse(w, inc.pca(k[0], 0.25), res.pca(k[1], 0.25))));
        rows.add(row("uncentered-pca " + dims + " w=" + w, s, fuse(w, inc.svd(k[0]), res.svd(k[1]))));
      }
    }
    rows.add(row("inception raw alone", s, fuse(1.0, inc.raw(), res.raw())));
    rows.add(row("resnet raw alone", s, x -> res.raw().apply(x)));
    rows.add(row("inception centered alone", s, x -> inc.centered().apply(x)));
    rows.add(row("resnet centered alone", s, x -> res.centered().apply(x)));
    rows.forEach(System.out::println);
  }

  static String row(String name, Sets s, UnaryOperator<float[][]> map) {
    return String.format("%-36s %s", name, score(s, map));
  }

  static Scores score(Sets s, UnaryOperator<float[][]> map) {
    float[][] p0 = map.apply(s.p0());
    float[][] p1 = map.apply(s.p1());
    float[][] c0 = map.apply(s.c0());
    float[][] c1 = map.apply(s.c1());
    int[] ph = hits(p1, p0);
    int[] ch = hits(c1, c0);
    NeighbourAgreement a = NeighbourAgreement.measure(s.listings(), java.util.Arrays.asList(c0), 10);
    return new Scores(ph[0] / (double) p0.length, ph[1] / (double) p0.length, ch[0] / (double) c0.length, ch[1] / (double) c0.length,
        a.category(), a.material());
  }

  private static int[] hits(float[][] queries, float[][] base) {
    int[] h = new int[2];
    List<float[]> b = java.util.Arrays.asList(base);
    for (int i = 0; i < queries.length; i++) {
      int rank = ReshootRetrieval.rankOf(queries[i], b, i);
      h[0] += rank == 0 ? 1 : 0;
      h[1] += rank < 5 ? 1 : 0;
    }
    return h;
  }

  /** {@code sqrt(w) * incMap(x) ++ sqrt(1-w) * resMap(x)}; w = 1 drops the second part. */
  static UnaryOperator<float[][]> fuse(double w, UnaryOperator<float[][]> a, UnaryOperator<float[][]> b) {
    return x -> {
      float[][] ya = a.apply(x);
      float[][] yb = w >= 1 ? new float[x.length][0] : b.apply(x);
      float[][] out = new float[x.length][];
      float sa = (float) Math.sqrt(w);
      float sb = (float) Math.sqrt(1 - w);
      for (int r = 0; r < x.length; r++) {
        float[] o = new float[ya[r].length + yb[r].length];
        for (int i = 0; i < ya[r].length; i++) {
          o[i] = ya[r][i] * sa;
        }
        for (int i = 0; i < yb[r].length; i++) {
          o[ya[r].length + i] = yb[r][i] * sb;
        }
        out[r] = o;
      }
      return out;
    };
  }

  static void learnedWhitening(Sets s, float[][][] views) {
    PartMaps inc = PartMaps.fit(s.fit(), 0, INC);
    PartMaps res = PartMaps.fit(s.fit(), INC, RES);
    for (double shrink : new double[] {0.1, 1, 10}) {
      CentredProjection li = LearnedWhitening.fit(views, 0, INC, shrink);
      CentredProjection lr = LearnedWhitening.fit(views, INC, RES, shrink);
      for (double w : new double[] {0.5, 0.6, 0.7, 0.8}) {
        for (int[] k : new int[][] {{384, 128}, {320, 192}, {256, 256}}) {
          String tag = " " + k[0] + "+" + k[1] + " shrink " + shrink + " w=" + w;
          System.out.println(row("lw both" + tag, s, fuse(w, li.map(k[0]), lr.map(k[1]))));
          System.out.println(row("lw res, rp inc" + tag, s, fuse(w, inc.random(k[0], 1), lr.map(k[1]))));
          System.out.println(row("lw inc, rp res" + tag, s, fuse(w, li.map(k[0]), res.random(k[1], 2))));
        }
      }
    }
  }

  static void learnedWhitening2(Sets s, float[][][] views) {
    PartMaps res = PartMaps.fit(s.fit(), INC, RES);
    for (double power : new double[] {0.25, 0.5}) {
      for (double shrink : new double[] {0.1, 1}) {
        CentredProjection li = LearnedWhitening.fit(views, 0, INC, shrink, power);
        for (double w : new double[] {0.3, 0.4, 0.5}) {
          for (int[] k : new int[][] {{384, 128}, {256, 256}}) {
            String tag = " " + k[0] + "+" + k[1] + " power " + power + " shrink " + shrink + " w=" + w;
            System.out.println(row("lw inc, rp res" + tag, s, fuse(w, li.map(k[0]), res.random(k[1], 2))));
            System.out.println(row("lw inc, svd res" + tag, s, fuse(w, li.map(k[0]), res.svd(k[1]))));
          }
        }
      }
    }
  }

  /** Learned-whitened Inception and ResNet for identity plus the raw ResNet (its material) as a third share. */
  static void threeParts(Sets s, float[][][] views) {
    PartMaps res = PartMaps.fit(s.fit(), INC, RES);
    CentredProjection li = LearnedWhitening.fit(views, 0, INC, 0.1);
    CentredProjection lr = LearnedWhitening.fit(views, INC, RES, 0.1);
    double[][] weights = {{0.5, 0.1, 0.4}, {0.5, 0.2, 0.3}, {0.4, 0.2, 0.4}, {0.45, 0.15, 0.4}, {0.5, 0, 0.5}, {0.4, 0, 0.6}};
    for (double[] w : weights) {
      for (int[] k : new int[][] {{256, 128, 128}, {320, 64, 128}}) {
        UnaryOperator<float[][]> whitened = fuse(w[0] / (w[0] + w[1]), li.map(k[0]), lr.map(k[1]));
        UnaryOperator<float[][]> all = fuse(w[0] + w[1], whitened, res.random(k[2], 2));
        System.out.println(row(String.format("lw inc %d %.2f + lw res %d %.2f + rp res %d %.2f", k[0], w[0], k[1], w[1], k[2], w[2]),
            s, all));
      }
    }
  }

  static float[][][] trainingListings(Path file) throws IOException {
    float[][] rows = trainingViews(file);
    int views = 6;
    float[][][] out = new float[rows.length / views][views][];
    for (int i = 0; i < rows.length; i++) {
      out[i / views][i % views] = rows[i];
    }
    return out;
  }

  /** All views of every listing from a {@link FusionFeatures} cache file. */
  static float[][] trainingViews(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      in.readInt();
      in.readUTF();
      int listings = in.readInt();
      int views = in.readInt();
      int dim = in.readInt();
      float[][] rows = new float[listings * views][dim];
      for (float[] r : rows) {
        for (int i = 0; i < dim; i++) {
          r[i] = in.readFloat();
        }
      }
      return rows;
    }
  }
}
