package dev.facet.embed;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.FacetException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Frozen part features of every training photo of every listing, for {@link FusionHeadTrainer}:
 * {@code get(l)[v]} is the concatenation of the fused encoder's parts' unit vectors of view
 * {@code v} of listing {@code l}. View 0 is the catalog photo, views {@code 1..R} the
 * {@link TrainingViews}, the last {@code A} re-shoots of the catalog photo ({@link PhotoReshoot}:
 * crop 78-90%, rotation ±12°, brightness and saturation jitter) with training seeds that differ
 * from {@code facet bench reshoot}'s. The trunk is run once per photo; a cache file keeps the
 * features across training runs (its header names what they are of).
 */
final class FusionFeatures {
  /** Seeds of the training re-shoots: {@code TRAINING_RESHOOT_SEED + a}; bench reshoot uses 991. */
  static final long TRAINING_RESHOOT_SEED = 0x7EA1_0000L;
  private static final int CACHE_MAGIC = 0x46464531;

  private final float[][][] features;

  private FusionFeatures(float[][][] features) {
    this.features = features;
  }

  /** Features already computed: {@code features[l][v]} of view {@code v} of listing {@code l}, view 0 the catalog photo. */
  static FusionFeatures of(float[][][] features) {
    return new FusionFeatures(features);
  }

  /** Listing count. */
  int size() {
    return features.length;
  }

  int views() {
    return features[0].length;
  }

  int dim() {
    return features[0][0].length;
  }

  /** All views of listing {@code l}. */
  float[][] get(int l) {
    return features[l];
  }

  /**
   * @param photos the catalog photo bytes of each listing
   * @param cache a file to read the features from when it holds these, and to write them to
   *     otherwise; null for none
   */
  static FusionFeatures extract(FusedImageEncoder base, List<Listing> listings, List<byte[]> photos, TrainingViews views,
      int augmentations, int workers, Path cache, Consumer<String> log) {
    String key = cacheKey(base, listings, photos, views, augmentations);
    if (cache != null && Files.isRegularFile(cache)) {
      FusionFeatures cached = read(cache, key);
      if (cached != null) {
        log.accept("read the frozen features of " + cached.size() + " listings x " + cached.views() + " views from " + cache);
        return cached;
      }
    }
    int perListing = 1 + views.count() + augmentations;
    IntFunction<byte[]> photo = index -> viewPhoto(listings, photos, views, index / perListing, index % perListing);
    float[][] flat = encodeAll(base, listings.size() * perListing, photo, workers, log);
    float[][][] features = new float[listings.size()][perListing][];
    for (int i = 0; i < flat.length; i++) {
      features[i / perListing][i % perListing] = flat[i];
    }
    FusionFeatures result = new FusionFeatures(features);
    if (cache != null) {
      result.write(cache, key);
    }
    return result;
  }

  /** The encoded photo of view {@code v} of listing {@code l}, laid out as {@link #get} lays out its features. */
  static byte[] viewPhoto(List<Listing> listings, List<byte[]> photos, TrainingViews views, int l, int v) {
    if (v == 0) {
      return photos.get(l);
    }
    if (v <= views.count()) {
      return views.photo(listings.get(l), v - 1);
    }
    long seed = TRAINING_RESHOOT_SEED + v - 1 - views.count();
    return new PhotoReshoot(seed).reshoot(photos.get(l), listings.get(l).id());
  }

  /**
   * Decodes on worker threads and runs every part, 32 photos per forward pass; the next batch is
   * decoded while the current one runs, so only two batches of pixels are held at a time.
   */
  static float[][] encodeAll(FusedImageEncoder base, int count, IntFunction<byte[]> photo, int workers,
      Consumer<String> log) {
    ImagePipeline pipeline = new ImagePipeline(base.inputSize());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
    long start = System.nanoTime();
    try {
      float[][] out = new float[count][];
      List<Future<float[]>> next = submit(pool, pipeline, photo, 0, count);
      for (int from = 0; from < count; from += 32) {
        List<Future<float[]>> current = next;
        next = submit(pool, pipeline, photo, from + 32, count);
        List<float[]> batch = new ArrayList<>(current.size());
        for (Future<float[]> f : current) {
          batch.add(f.get());
        }
        float[][] rows = concatParts(base, batch);
        System.arraycopy(rows, 0, out, from, rows.length);
        if ((from / 32) % 10 == 9) {
          log.accept(String.format("encoded %d of %d training photos (%.0f s)", from + rows.length, count,
              (System.nanoTime() - start) / 1e9));
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FacetException("feature extraction interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new FacetException("a training photo could not be decoded: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Future<float[]>> submit(ExecutorService pool, ImagePipeline pipeline, IntFunction<byte[]> photo, int from,
      int count) {
    List<Future<float[]>> batch = new ArrayList<>();
    for (int i = from; i < Math.min(count, from + 32); i++) {
      int index = i;
      batch.add(pool.submit(() -> pipeline.decodeChw(photo.apply(index), "training view " + index)));
    }
    return batch;
  }

  private static float[][] concatParts(FusedImageEncoder base, List<float[]> batch) {
    List<float[][]> perPart = new ArrayList<>();
    int dim = 0;
    for (int p = 0; p < base.parts().size(); p++) {
      float[][] v = base.encodeUnprojected(p, batch);
      perPart.add(v);
      dim += v[0].length;
    }
    float[][] rows = new float[batch.size()][dim];
    for (int r = 0; r < rows.length; r++) {
      int offset = 0;
      for (float[][] part : perPart) {
        System.arraycopy(part[r], 0, rows[r], offset, part[r].length);
        offset += part[r].length;
      }
    }
    return rows;
  }

  private static String cacheKey(FusedImageEncoder base, List<Listing> listings, List<byte[]> photos, TrainingViews views,
      int augmentations) {
    StringBuilder ids = new StringBuilder();
    listings.forEach(l -> ids.append(l.id()).append('\n'));
    // The photos' bytes too: a catalog regenerated or re-shot under the same ids gives other features.
    java.util.zip.CRC32C content = new java.util.zip.CRC32C();
    photos.forEach(content::update);
    // The weights' checksums too: a part retrained under the same id gives other features.
    List<String> parts = base.parts().stream().map(p -> p.id() + (p.sha256() == null ? "" : "@" + p.sha256())).toList();
    return parts + " at " + base.inputSize() + " px; views: " + views.describe() + "; re-shoots: " + augmentations
        + "; listings: " + listings.size() + " " + Integer.toHexString(ids.toString().hashCode()) + "; photos crc32c "
        + Long.toHexString(content.getValue());
  }

  private static FusionFeatures read(Path file, String key) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != CACHE_MAGIC || !in.readUTF().equals(key)) {
        return null;
      }
      float[][][] f = new float[in.readInt()][in.readInt()][in.readInt()];
      for (float[][] listing : f) {
        for (float[] view : listing) {
          for (int i = 0; i < view.length; i++) {
            view[i] = in.readFloat();
          }
        }
      }
      return new FusionFeatures(f);
    } catch (IOException e) {
      throw new FacetException("feature cache " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  private void write(Path file, String key) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(CACHE_MAGIC);
        out.writeUTF(key);
        out.writeInt(size());
        out.writeInt(views());
        out.writeInt(dim());
        for (float[][] listing : features) {
          for (float[] view : listing) {
            for (float v : view) {
              out.writeFloat(v);
            }
          }
        }
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FacetException("cannot write the feature cache " + file + ": " + e.getMessage(), e);
    }
  }
}
