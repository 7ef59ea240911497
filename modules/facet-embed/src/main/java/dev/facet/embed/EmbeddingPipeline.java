package dev.facet.embed;

import dev.facet.catalog.CatalogReader;
import dev.facet.core.BackgroundPriority;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Batched feature extraction for listings: image decoding and tokenization run on worker threads
 * and feed a bounded queue, while the calling thread runs the encoders on batches. The queue bound
 * keeps memory flat for catalogs of any size (a decoded 224 image is 600 KB), and keeping the
 * forward passes on one thread lets them use all intra-op threads of the engine.
 *
 * <p>Results come out in input order. A listing whose image cannot be decoded is reported as a
 * {@link RecordError} (field {@code images}) and the rest of its batch goes on. Instances are
 * immutable; {@link #run} may be called concurrently (each run has its own workers).
 *
 * <p>On Linux the workers run at a lower priority than the caller (see {@link BackgroundPriority}):
 * on a machine whose cores the model already fills, the model's threads then get a core back as
 * soon as they wake, and the workers use what is left. Why: a forward pass is a chain of short
 * parallel regions, each ending only when every intra-op thread has finished its share, so a decode
 * thread holding a core when an intra-op thread wakes delays the whole region; at equal priority the
 * pipeline lost more than the CPU time the decoding itself costs (image pipeline/raw, 20 alternating
 * rounds of 256 photos each in one JVM on 2 cores: median 0.908 at nice 0, 0.932 at nice 10, 0.960
 * at nice 19). On a machine busy with other work the workers may get almost no CPU; the model's own
 * thread then prepares the next item instead of waiting, so a low priority slows ingestion at worst
 * to a sequential pace.
 */
public final class EmbeddingPipeline {
  /** Nice value for preparation threads: the lowest, since the model thread steps in when they lag. */
  static final int PREPARATION_NICE = 19;

  /**
   * System property: nice value (0-19) of the decode/tokenize workers on Linux, default
   * {@value #PREPARATION_NICE}; 0 runs them at the model thread's priority.
   * Whatever the value, the model thread prepares an item itself when no worker has started it.
   */
  public static final String NICE_PROPERTY = "facet.embed.prepNice";

  /**
   * Pipeline sizes.
   *
   * @param workers decode/tokenize threads, at least 1
   * @param batchSize listings per forward pass, at least 1
   * @param queueCapacity prepared listings waiting for the model, at least {@code batchSize}
   */
  public record Settings(int workers, int batchSize, int queueCapacity) {
    public Settings {
      if (workers < 1 || batchSize < 1 || queueCapacity < batchSize) {
        throw new IllegalArgumentException("need workers >= 1, batchSize >= 1 and queueCapacity >= batchSize, got "
            + workers + ", " + batchSize + ", " + queueCapacity);
      }
    }

    /** {@code workers} threads, batches of 32, up to four batches queued. */
    public static Settings defaults(int workers) {
      return new Settings(workers, 32, 128);
    }
  }

  /**
   * Outcome of one run.
   *
   * @param embedded listings with vectors
   * @param rejected listings reported as errors
   * @param nanos wall time of the run
   */
  public record Summary(long embedded, long rejected, long nanos) {
    /** Listings (embedded or rejected) per second of wall time. */
    public double listingsPerSecond() {
      return nanos == 0 ? 0 : (embedded + rejected) * 1e9 / nanos;
    }
  }

  private final ImageEncoder imageEncoder;
  private final TextEncoder textEncoder;
  private final ImagePipeline decoder;
  private final Settings settings;

  /**
   * @param imageEncoder image encoder, or null for text-only extraction
   * @param textEncoder text encoder, or null for image-only extraction
   */
  public EmbeddingPipeline(ImageEncoder imageEncoder, TextEncoder textEncoder, Settings settings) {
    if (imageEncoder == null && textEncoder == null) {
      throw new IllegalArgumentException("at least one encoder is required");
    }
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.decoder = imageEncoder == null ? null : new ImagePipeline(imageEncoder.inputSize());
  }

  /** The same pipeline without text encoding. */
  public EmbeddingPipeline imageOnly() {
    return new EmbeddingPipeline(Objects.requireNonNull(imageEncoder, "no image encoder"), null, settings);
  }

  /** The same pipeline without image decoding and encoding. */
  public EmbeddingPipeline textOnly() {
    return new EmbeddingPipeline(null, Objects.requireNonNull(textEncoder, "no text encoder"), settings);
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Resolves a listing's primary image inside the catalog directory ({@link CatalogReader#resolveImage});
   * a path that leaves it is rejected with the listing.
   */
  public static Function<Listing, Path> imagesUnder(Path catalogDir) {
    return listing -> CatalogReader.resolveImage(catalogDir, listing.primaryImage());
  }

  /**
   * Embeds {@code listings}.
   *
   * @param imagePath where each listing's primary image is, see {@link #imagesUnder(Path)}
   * @param out receives one embedding per good listing, in input order, on the calling thread
   * @param rejects receives one error per listing whose image is unusable, on the calling thread
   * @param progress receives the number of listings processed so far (embedded + rejected) after
   *     every batch
   * @throws FacetException when an encoder fails on a whole batch or the run is interrupted
   */
  public Summary run(Iterable<Listing> listings, Function<Listing, Path> imagePath, Consumer<ListingEmbedding> out,
      Consumer<RecordError> rejects, LongConsumer progress) {
    Objects.requireNonNull(listings, "listings");
    Objects.requireNonNull(imagePath, "imagePath");
    long start = System.nanoTime();
    BlockingQueue<RunnableFuture<Prepared>> queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    ExecutorService workers = Executors.newFixedThreadPool(settings.workers(), preparationThreads());
    Thread producer = daemonThreads("facet-embed-feed").newThread(() -> feed(listings.iterator(), imagePath, workers, queue));
    producer.start();
    long embedded = 0;
    long rejected = 0;
    try {
      List<Prepared> batch = new ArrayList<>(settings.batchSize());
      while (true) {
        Prepared p = takeNext(queue);
        if (p == Prepared.END) {
          break;
        }
        if (p.error != null) {
          rejects.accept(p.error);
          rejected++;
          if (rejected % settings.batchSize() == 0) {
            progress.accept(embedded + rejected);
          }
          continue;
        }
        batch.add(p);
        if (batch.size() == settings.batchSize()) {
          embedded += encode(batch, out);
          progress.accept(embedded + rejected);
        }
      }
      if (!batch.isEmpty()) {
        embedded += encode(batch, out);
      }
      progress.accept(embedded + rejected);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FacetException("embedding run interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new FacetException("embedding run failed: " + cause, cause);
    } finally {
      producer.interrupt();
      workers.shutdownNow();
    }
    return new Summary(embedded, rejected, System.nanoTime() - start);
  }

  /**
   * Takes the next item in input order. One that no worker has started yet is prepared right here,
   * at the calling thread's priority, so low-priority workers can delay the model but never starve
   * it; one a worker has started or finished is waited for. Package-private for tests.
   */
  static <T> T takeNext(BlockingQueue<RunnableFuture<T>> queue) throws InterruptedException, ExecutionException {
    RunnableFuture<T> next = queue.take();
    next.run(); // no-op unless the task is still new
    return next.get();
  }

  /** Runs the encoders on a full batch, emits it and clears it; returns the batch size. */
  private int encode(List<Prepared> batch, Consumer<ListingEmbedding> out) {
    int n = batch.size();
    float[][] images = null;
    float[][] texts = null;
    if (imageEncoder != null) {
      List<float[]> chw = new ArrayList<>(n);
      for (Prepared p : batch) {
        chw.add(p.chw);
      }
      images = imageEncoder.encode(chw);
    }
    if (textEncoder != null) {
      if (textEncoder instanceof BertTextEncoder bert) {
        List<Tokens> tokens = new ArrayList<>(n);
        for (Prepared p : batch) {
          tokens.add(p.tokens);
        }
        texts = bert.encodeTokens(tokens);
      } else {
        List<String> strings = new ArrayList<>(n);
        for (Prepared p : batch) {
          strings.add(p.text);
        }
        texts = textEncoder.encode(strings);
      }
    }
    for (int i = 0; i < n; i++) {
      out.accept(new ListingEmbedding(batch.get(i).listing.id(), images == null ? null : images[i], texts == null ? null : texts[i]));
    }
    batch.clear();
    return n;
  }

  private void feed(Iterator<Listing> listings, Function<Listing, Path> imagePath, ExecutorService workers,
      BlockingQueue<RunnableFuture<Prepared>> queue) {
    try {
      try {
        while (listings.hasNext()) {
          Listing listing = listings.next();
          FutureTask<Prepared> task = new FutureTask<>(() -> prepare(listing, imagePath));
          queue.put(task);
          workers.execute(task);
        }
        // The end marker (and a failure below) never goes to a worker: takeNext runs it.
        queue.put(new FutureTask<>(() -> Prepared.END));
      } catch (RuntimeException e) {
        // A failing listing source ends the run with its error rather than hanging the consumer.
        queue.put(new FutureTask<>(() -> {
          throw e;
        }));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Prepared prepare(Listing listing, Function<Listing, Path> imagePath) {
    float[] chw = null;
    if (decoder != null) {
      // Resolving is inside the per-listing handling: a path refused there (outside the catalog,
      // illegal characters) rejects this listing, not the run.
      try {
        chw = decoder.loadChw(imagePath.apply(listing));
      } catch (ImageRejectedException e) {
        return Prepared.rejected(listing, new RecordError(e.source(), 0, listing.id(), "images", e.reason()));
      } catch (RuntimeException e) {
        if (e instanceof FacetException) {
          throw e;
        }
        return Prepared.rejected(listing, new RecordError(listing.primaryImage(), 0, listing.id(), "images",
            "image could not be decoded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
      }
    }
    String text = null;
    Tokens tokens = null;
    if (textEncoder != null) {
      text = listing.searchableText();
      if (textEncoder instanceof BertTextEncoder bert) {
        tokens = bert.tokenize(text);
      }
    }
    return new Prepared(listing, chw, tokens, text, null);
  }

  /** Decode/tokenize workers: daemons at a lower priority than the thread running the model. */
  private ThreadFactory preparationThreads() {
    ThreadFactory daemons = daemonThreads("facet-embed-prep");
    int nice = BackgroundPriority.checkNice(Integer.getInteger(NICE_PROPERTY, PREPARATION_NICE),
        "-D" + NICE_PROPERTY);
    return task -> daemons.newThread(() -> {
      BackgroundPriority.lowerCurrentThread(nice);
      task.run();
    });
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private record Prepared(Listing listing, float[] chw, Tokens tokens, String text, RecordError error) {
    static final Prepared END = new Prepared(null, null, null, null, null);

    static Prepared rejected(Listing listing, RecordError error) {
      return new Prepared(listing, null, null, null, error);
    }
  }
}
