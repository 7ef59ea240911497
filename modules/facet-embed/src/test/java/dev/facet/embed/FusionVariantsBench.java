package dev.facet.embed;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bench-scope harness (not a test): caches the frozen part features of the images check 10 measures
 * (opencv-doc photos and their re-shoots, catalog photos and their held-out re-renders, and the fusion
 * head's training views), so that fusion variants are compared from the cache in seconds instead of
 * running the trunk again. Run from the project root:
 * {@code java -cp <test-classes>:<classes>:<runtime classpath> dev.facet.embed.FusionVariantsBench extract CACHE_DIR}
 * then {@code ... FusionVariantsBench eval CACHE_DIR}.
 */
public final class FusionVariantsBench {
  static final long BENCH_SEED = 991;
  static final String PHOTOS = "/usr/share/doc/opencv-doc/examples/data";

  private FusionVariantsBench() {}

  public static void main(String[] args) throws IOException {
    Path cache = Path.of(args[1]);
    Files.createDirectories(cache);
    switch (args[0]) {
      case "extract" -> extract(cache);
      case "eval" -> FusionVariants.main(cache);
      default -> throw new IllegalArgumentException("extract or eval");
    }
  }

  static List<Listing> listings() {
    List<Listing> all = new ArrayList<>();
    new CatalogReader(new ImagePipeline(240)).readListings(Path.of("catalog-samples/listings.jsonl"), all::add, e -> { });
    return all;
  }

  private static void extract(Path cache) throws IOException {
    List<Listing> listings = listings();
    List<byte[]> photos = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(Path.of("catalog-samples"),
        l.primaryImage()));
    try (FusedImageEncoder base = FusedImageEncoder.open(ModelDescriptorReader.find(Path.of("models"), FusedImageEncoder.FIXED_ID),
        Device.CPU)) {
      PhotoFolderReshoot.Photos p = PhotoFolderReshoot.load(Path.of(PHOTOS), BENCH_SEED);
      encode(base, cache.resolve("photos-orig.f32"), p.originals());
      encode(base, cache.resolve("photos-shot.f32"), p.reshoots());
      encode(base, cache.resolve("catalog-orig.f32"), photos);
      SampleCatalogGenerator generator = new SampleCatalogGenerator();
      List<byte[]> shots = listings.stream()
          .map(l -> SampleCatalogGenerator.jpeg(generator.renderPhoto(l, SampleCatalogGenerator.benchVariant(BENCH_SEED, l.id())))).toList();
      encode(base, cache.resolve("catalog-shot.f32"), shots);
      FusionFeatures.extract(base, listings, photos, new RenderedViews(3), 2, 2, cache.resolve("head-train.features"),
          System.out::println);
    }
  }

  private static void encode(FusedImageEncoder base, Path file, List<byte[]> images) throws IOException {
    if (Files.isRegularFile(file)) {
      return;
    }
    long start = System.nanoTime();
    float[][] rows = FusionFeatures.encodeAll(base, images.size(), images::get, 2, System.out::println);
    write(file, rows);
    System.out.printf("%s: %d images in %.0f s%n", file, rows.length, (System.nanoTime() - start) / 1e9);
  }

  static void write(Path file, float[][] rows) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeInt(rows.length);
      out.writeInt(rows[0].length);
      for (float[] r : rows) {
        for (float v : r) {
          out.writeFloat(v);
        }
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static float[][] read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      float[][] rows = new float[in.readInt()][in.readInt()];
      for (float[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          r[i] = in.readFloat();
        }
      }
      return rows;
    }
  }
}
