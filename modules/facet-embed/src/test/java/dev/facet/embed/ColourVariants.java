package dev.facet.embed;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Bench-scope harness (not a test): a fixed {@link ColourHistogram} part beside learned-whitened
 * trunk and ResNet parts, scored from the part-feature cache of {@link FusionVariantsBench} (CACHE
 * holds its *.f32 and head-train.features) plus colour features of the same images, computed here
 * from the same 240-pixel decoding ({@code COLOUR_DIR/*.col}). Run from the project root:
 * {@code java -cp ... dev.facet.embed.ColourVariants CACHE COLOUR_DIR}.
 */
public final class ColourVariants {
  private static final int COL = FusionVariants.INC + FusionVariants.RES;

  private ColourVariants() {}

  public static void main(String[] args) throws IOException {
    Path cache = Path.of(args[0]);
    Path colourDir = Path.of(args[1]);
    Files.createDirectories(colourDir);
    List<Listing> listings = FusionVariantsBench.listings();
    PhotoFolderReshoot.Photos p = PhotoFolderReshoot.load(Path.of(FusionVariantsBench.PHOTOS), FusionVariantsBench.BENCH_SEED);
    List<byte[]> photos = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(Path.of("catalog-samples"),
        l.primaryImage()));
    float[][] p0 = colour(colourDir.resolve("photos-orig.col"), () -> p.originals());
    float[][] p1 = colour(colourDir.resolve("photos-shot.col"), () -> p.reshoots());
    float[][] c0 = colour(colourDir.resolve("catalog-orig.col"), () -> photos);
    float[][] c1 = colour(colourDir.resolve("catalog-shot.col"), () -> {
      SampleCatalogGenerator generator = new SampleCatalogGenerator();
      long seed = FusionVariantsBench.BENCH_SEED;
      return listings.stream().map(l -> SampleCatalogGenerator.jpeg(generator.renderPhoto(l, SampleCatalogGenerator.benchVariant(seed, l.id()))))
          .toList();
    });
    FusionVariants.Sets s = new FusionVariants.Sets(append(FusionVariantsBench.read(cache.resolve("photos-orig.f32")), p0),
        append(FusionVariantsBench.read(cache.resolve("photos-shot.f32")), p1), append(FusionVariantsBench.read(cache.resolve(
            "catalog-orig.f32")), c0), append(FusionVariantsBench.read(cache.resolve("catalog-shot.f32")), c1), null, listings);
    sweep(s, FusionVariants.trainingListings(cache.resolve("head-train.features")));
  }

  private static void sweep(FusionVariants.Sets s, float[][][] views) {
    PartMaps colour = PartMaps.fit(s.c0(), COL, ColourHistogram.DIM);
    PartMaps res = PartMaps.fit(s.c0(), FusionVariants.INC, FusionVariants.RES);
    System.out.println(FusionVariants.row("colour alone", s, colour.raw()));
    System.out.println(FusionVariants.row("colour centred alone", s, colour.centered()));
    if (Boolean.getBoolean("colourOnly")) {
      return;
    }
    CentredProjection li = LearnedWhitening.fit(views, 0, FusionVariants.INC, 0.1);
    CentredProjection lr = LearnedWhitening.fit(views, FusionVariants.INC, FusionVariants.RES, 0.1);
    if (Boolean.getBoolean("lda")) {
      lda(s, views, li, lr, colour);
      return;
    }
    int kInc = 256;
    int kRes = 512 - kInc - ColourHistogram.DIM;
    for (String resMap : new String[] {"lw", "rp"}) {
      for (double wi : new double[] {0.5, 0.6}) {
        UnaryOperator<float[][]> base = FusionVariants.fuse(wi, li.map(kInc), "lw".equals(resMap) ? lr.map(kRes) : res.random(kRes, 2));
        for (String colourMap : new String[] {"raw", "centred"}) {
          for (double wc : new double[] {0.2, 0.3, 0.4}) {
            String tag = String.format("lw inc %d + %s res %d (w %.1f) + %s colour %d %.1f", kInc, resMap, kRes, wi, colourMap,
                ColourHistogram.DIM, wc);
            UnaryOperator<float[][]> c = "raw".equals(colourMap) ? colour.raw() : colour.centered();
            System.out.println(FusionVariants.row(tag, s, FusionVariants.fuse(1 - wc, base, c)));
          }
        }
      }
    }
  }

  /** A learned material part (LDA of the ResNet on the training views' labels) beside the whitened parts and colour. */
  private static void lda(FusionVariants.Sets s, float[][][] views, CentredProjection li, CentredProjection lr, PartMaps colour) {
    List<String> labels = s.listings().stream().map(l -> l.material()).toList();
    double shrink = Double.parseDouble(System.getProperty("ldaShrink", "0.1"));
    CentredProjection lda = MaterialLda.fit(views, labels, FusionVariants.INC, FusionVariants.RES, shrink);
    System.out.println(FusionVariants.row("material lda alone shrink " + shrink, s, lda.map()));
    int kInc = Integer.getInteger("ldaInc", 256);
    double[] incShares = "352".equals(System.getProperty("ldaInc")) ? new double[] {0.7, 0.8} : new double[] {0.55, 0.65, 0.75};
    double[] colourShares = "352".equals(System.getProperty("ldaInc")) ? new double[] {0} : new double[] {0, 0.1};
    for (double wi : incShares) {
      UnaryOperator<float[][]> base = FusionVariants.fuse(wi, li.map(kInc), lr.map(144));
      for (double wc : colourShares) {
        UnaryOperator<float[][]> withColour = wc == 0 ? base : FusionVariants.fuse(1 - wc, base, colour.raw());
        for (double wl : new double[] {0.1, 0.15, 0.2}) {
          System.out.println(FusionVariants.row(String.format("lw %d+144 (%.2f) colour %.1f lda %.2f shrink %s", kInc, wi, wc, wl, shrink),
              s, FusionVariants.fuse(1 - wl, withColour, lda.map())));
        }
      }
    }
  }

  interface Images {
    List<byte[]> get();
  }

  private static float[][] colour(Path file, Images images) throws IOException {
    if (Files.isRegularFile(file)) {
      return FusionVariantsBench.read(file);
    }
    ImagePipeline pipeline = new ImagePipeline(240);
    List<byte[]> all = images.get();
    float[][] rows = new float[all.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = ColourHistogram.describe(pipeline.decodeChw(all.get(i), file.getFileName() + " #" + i), 240);
    }
    FusionVariantsBench.write(file, rows);
    return rows;
  }

  private static float[][] append(float[][] parts, float[][] colour) {
    float[][] out = new float[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      out[i] = java.util.Arrays.copyOf(parts[i], COL + colour[i].length);
      System.arraycopy(colour[i], 0, out[i], COL, colour[i].length);
    }
    return out;
  }
}
