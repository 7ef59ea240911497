package dev.facet.catalog;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Decodes listing images on worker threads while the file is still being parsed, and hands results
 * to the caller's consumers in file order, on the caller's thread. At most {@code 4 × threads}
 * listings are in flight, so memory stays bounded whatever the file size.
 */
final class ImageCheckWindow implements AutoCloseable {
  private record Entry(Listing listing, long line, Future<String> imageError, RecordError parseError) {}

  private final ImagePipeline images;
  private final ImageCheck check;
  private final Path base;
  private final String fileName;
  private final Consumer<Listing> accepted;
  private final Consumer<RecordError> rejected;
  private final ExecutorService pool;
  private final int capacity;
  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private long ok;
  private long bad;

  ImageCheckWindow(ImagePipeline images, ImageCheck check, Path listingsFile, int threads, Consumer<Listing> accepted,
      Consumer<RecordError> rejected) {
    if (check == ImageCheck.NONE) {
      throw new IllegalArgumentException("an image check window needs a check to run");
    }
    this.images = images;
    this.check = check;
    this.base = listingsFile.toAbsolutePath().getParent();
    this.fileName = listingsFile.toString();
    this.accepted = accepted;
    this.rejected = rejected;
    this.capacity = 4 * threads;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "facet-image-check");
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues a parsed listing; its images are decoded in the background. */
  void listing(Listing listing, long line) {
    push(new Entry(listing, line, pool.submit(() -> firstImageError(listing)), null));
  }

  /** Queues a record that was rejected before any image was looked at, keeping file order. */
  void reject(RecordError error) {
    push(new Entry(null, error.line(), null, error));
  }

  /** Checks every image of the listing, not only the primary one: each is shown to shoppers. */
  private String firstImageError(Listing listing) {
    for (String image : listing.images()) {
      try {
        Path file = CatalogReader.resolveImage(base, image);
        if (check == ImageCheck.DECODE) {
          images.verify(file);
        } else {
          images.inspect(file);
        }
      } catch (ImageRejectedException e) {
        return ImageCheckWindow.describe(e) + ": " + image;
      } catch (RuntimeException e) {
        if (e instanceof FacetException) {
          throw e;
        }
        // A decoder's own exception (OpenCV's CvException) is about this image, not the run.
        return "image could not be decoded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): " + image;
      }
    }
    return null;
  }

  /** The reason with the word "image" in front, once: "image truncated JPEG", "image too large". */
  static String describe(ImageRejectedException e) {
    return e.reason().startsWith("image ") ? e.reason() : "image " + e.reason();
  }

  private void push(Entry e) {
    window.addLast(e);
    while (window.size() > capacity) {
      emit(window.removeFirst());
    }
  }

  /** Emits everything still queued. */
  void finish() {
    while (!window.isEmpty()) {
      emit(window.removeFirst());
    }
  }

  private void emit(Entry e) {
    if (e.parseError() != null) {
      bad++;
      rejected.accept(e.parseError());
      return;
    }
    String error;
    try {
      error = e.imageError().get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new FacetException("interrupted while checking images of " + fileName, ie);
    } catch (ExecutionException ee) {
      throw new FacetException("image check failed for " + e.listing().id() + " in " + fileName + ": " + ee.getCause(), ee.getCause());
    }
    if (error == null) {
      ok++;
      accepted.accept(e.listing());
    } else {
      bad++;
      rejected.accept(new RecordError(fileName, e.line(), e.listing().id(), "images", error));
    }
  }

  long accepted() {
    return ok;
  }

  long rejected() {
    return bad;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
