package dev.facet.embed;

import java.util.List;
import java.util.Map;

/**
 * A fusion head measured on the validation listings (never trained on): their views searched among
 * every listing's catalog photo, their catalog photos' 10 nearest listings, their photos' nearest
 * text. The score that picks the anchor strength is the mean of re-rendered view top-5, re-shoot
 * top-1, category and material agreement: the catalog figures {@code facet bench reshoot} reports,
 * on held-out listings.
 *
 * @param renderedTop1 share of re-rendered views whose own catalog photo is nearest
 * @param renderedTop5 same within the 5 nearest
 * @param reshootTop1 share of re-shoots (crop, rotation, jitter) whose own catalog photo is nearest
 * @param category mean share of the 10 nearest other catalog photos with the same category
 * @param material same for the material
 * @param imageToText share of catalog photos whose nearest text (through the training-only text
 *     map) is their own; NaN without a text map
 */
record FusionHeadValidation(double renderedTop1, double renderedTop5, double reshootTop1, double category, double material,
    double imageToText) {
  private static final int K = 10;

  double score() {
    return (renderedTop5 + reshootTop1 + category + material) / 4;
  }

  /**
   * @param renderedViews how many of each listing's views after the catalog photo are re-renders
   *     (the rest are re-shoots)
   * @param textMap {@code out × textDim} row-major, or null
   */
  static FusionHeadValidation measure(FusionHead head, FusionHeadTrainer.Data data, int renderedViews, float[] textMap) {
    FusionFeatures f = data.features();
    float[][] catalog = new float[f.size()][];
    for (int l = 0; l < f.size(); l++) {
      catalog[l] = f.get(l)[0];
    }
    catalog = head.apply(java.util.Collections.singletonList(catalog));
    int[] rendered = new int[2];
    int[] reshoot = new int[2];
    for (int l : data.validation()) {
      float[][] views = head.apply(java.util.Collections.singletonList(f.get(l)));
      for (int v = 1; v < views.length; v++) {
        int rank = rank(views[v], catalog, l);
        int[] counts = v <= renderedViews ? rendered : reshoot;
        counts[0] += rank == 0 ? 1 : 0;
        counts[1] += rank < 5 ? 1 : 0;
      }
    }
    int n = data.validation().size();
    int reshoots = f.views() - 1 - renderedViews;
    double[] agreement = agreement(catalog, data);
    double text = textMap == null ? Double.NaN : imageToText(catalog, textMap, data);
    return new FusionHeadValidation(share(rendered[0], n * renderedViews), share(rendered[1], n * renderedViews),
        share(reshoot[0], n * reshoots), agreement[0], agreement[1], text);
  }

  private static double share(int hits, int total) {
    return total == 0 ? Double.NaN : hits / (double) total;
  }

  /** How many catalog photos score above listing {@code own}'s for this query. */
  private static int rank(float[] query, float[][] catalog, int own) {
    double target = Vectors.dot(query, catalog[own]);
    int better = 0;
    for (int j = 0; j < catalog.length; j++) {
      if (j != own && Vectors.dot(query, catalog[j]) > target) {
        better++;
      }
    }
    return better;
  }

  /** Category and material agreement of the validation listings' 10 nearest other catalog photos. */
  private static double[] agreement(float[][] catalog, FusionHeadTrainer.Data data) {
    int[] category = data.labels().get("category");
    int[] material = data.labels().get("material");
    double[] sums = new double[2];
    for (int i : data.validation()) {
      double[] scores = new double[catalog.length];
      Integer[] order = new Integer[catalog.length];
      for (int j = 0; j < catalog.length; j++) {
        scores[j] = j == i ? Double.NEGATIVE_INFINITY : Vectors.dot(catalog[i], catalog[j]);
        order[j] = j;
      }
      java.util.Arrays.sort(order, (x, y) -> Double.compare(scores[y], scores[x]));
      for (int r = 0; r < K; r++) {
        int j = order[r];
        sums[0] += category != null && category[j] == category[i] ? 1.0 / K : 0;
        sums[1] += material != null && material[j] == material[i] ? 1.0 / K : 0;
      }
    }
    int n = Math.max(1, data.validation().size());
    return new double[] {sums[0] / n, sums[1] / n};
  }

  private static double imageToText(float[][] catalog, float[] textMap, FusionHeadTrainer.Data data) {
    int out = catalog[0].length;
    int textDim = textMap.length / out;
    float[][] mapped = new float[catalog.length][];
    for (int l : data.validation()) {
      float[] y = new float[textDim];
      for (int i = 0; i < out; i++) {
        float x = catalog[l][i];
        for (int t = 0; t < textDim; t++) {
          y[t] += x * textMap[i * textDim + t];
        }
      }
      mapped[l] = Vectors.l2Normalize(y);
    }
    float[][] rows = data.validation().stream().map(l -> mapped[l]).toArray(float[][]::new);
    return ImageEncoderTrainer.imageToTextTop1(rows, data.textVectors(), data.validation());
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("rendered_top_1", round(renderedTop1));
    m.put("rendered_top_5", round(renderedTop5));
    m.put("reshoot_top_1", round(reshootTop1));
    m.put("category_agreement@10", round(category));
    m.put("material_agreement@10", round(material));
    m.put("image_to_text_top_1", round(imageToText));
    m.put("score", round(score()));
    return m;
  }

  private static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
  }

  @Override
  public String toString() {
    return String.format("rendered top-1 %.3f top-5 %.3f, re-shoot top-1 %.3f, category@10 %.3f, material@10 %.3f, "
        + "image->text top-1 %.3f (score %.3f)", renderedTop1, renderedTop5, reshootTop1, category, material, imageToText, score());
  }
}
