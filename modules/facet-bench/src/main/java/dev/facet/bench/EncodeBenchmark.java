package dev.facet.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Figures;
import dev.facet.core.Listing;
import dev.facet.embed.BertTextEncoder;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.RssProbe;
import dev.facet.embed.TextEncoder;
import dev.facet.embed.Tokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Measures, in one run, how close batched extraction from files gets to the encoders' raw
 * forward-pass rate, plus retrieval sanity and native memory over long runs.
 *
 * <p>Raw rate: {@code encode} on ready-made inputs (decoded CHW arrays; pre-tokenized ids for
 * {@link BertTextEncoder}) in batches of the same size as the pipeline. Pipeline rate:
 * {@link EmbeddingPipeline} over the same listings from their files (decode + tokenize + forward).
 * Both use the same encoder objects, so the same engine threads. Raw and pipeline rounds alternate
 * (every round over the full {@code items}; {@value #IMAGE_ROUNDS} pairs for the image encoder, whose
 * rounds take half a second and scatter by ±6% on a 2-core VM, {@value #TEXT_ROUNDS} for the
 * ten times slower text encoder, spread over the same span) so that load from other processes
 * affects both alike; rates are total items over total time. Each pipeline round pays
 * the start-up an ingestion pays once (worker threads, the first batch decoded before the first
 * forward pass); rounds of a few batches would overstate it (measured: 4% of a 64-image round).
 *
 * <p>On a shared or oversubscribed machine run with {@code OMP_WAIT_POLICY=PASSIVE} in the
 * environment: libtorch's OpenMP threads otherwise spin between parallel regions and steal the
 * cores from decode workers and other processes (measured here under load: raw image rate 38/s
 * spinning vs 304/s passive). The variable must be set before the JVM starts.
 */
public final class EncodeBenchmark {
  /** Raw/pipeline round pairs of the image encoder. */
  public static final int IMAGE_ROUNDS = 9;
  /** Raw/pipeline round pairs of the text encoder; must divide {@link #IMAGE_ROUNDS}. */
  public static final int TEXT_ROUNDS = 3;

  /**
   * Items per second of one encoder.
   *
   * @param rawPerSecond forward passes on ready-made inputs
   * @param pipelinePerSecond end to end from files
   */
  public record Rates(double rawPerSecond, double pipelinePerSecond) {
    /** pipeline / raw. */
    public double ratio() {
      return rawPerSecond == 0 ? 0 : pipelinePerSecond / rawPerSecond;
    }
  }

  /**
   * Benchmark outcome.
   *
   * @param image image encoder rates
   * @param text text encoder rates
   * @param items items per round; rates are measured over {@link #IMAGE_ROUNDS} and {@link #TEXT_ROUNDS} rounds
   * @param batchSize batch size of raw and pipeline runs
   * @param workers pipeline decode/tokenize threads
   */
  public record Result(Rates image, Rates text, int items, int batchSize, int workers) {
    /**
     * {@code {"image":{"raw_per_s":…,"pipeline_per_s":…,"ratio":…},"text":{…}}}, the format the
     * {@code facet bench encode --json} file has.
     */
    public Map<String, Object> toJsonTree() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("image", tree(image));
      root.put("text", tree(text));
      return root;
    }

    public String toJson() {
      try {
        return new ObjectMapper().writeValueAsString(toJsonTree());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Map<String, Object> tree(Rates r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("raw_per_s", round(r.rawPerSecond()));
      m.put("pipeline_per_s", round(r.pipelinePerSecond()));
      m.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
      return m;
    }

    private static double round(double v) {
      return Figures.round(v, 1);
    }
  }

  /**
   * One RSS reading of a memory run.
   *
   * @param encodes items encoded so far (images + texts)
   * @param rssKb resident set size in kB
   */
  public record RssSample(long encodes, long rssKb) {}

  private EncodeBenchmark() {}

  /**
   * Runs the throughput benchmark.
   *
   * @param listings catalog listings; cycled when fewer than {@code items}
   * @param imagePath where each listing's primary image is
   * @param items items per round (rounded down to whole batches, at least one batch)
   * @param progress receives items measured so far, across all phases: {@link #progressTotal} in all
   */
  public static Result run(List<Listing> listings, Function<Listing, Path> imagePath, ImageEncoder image, TextEncoder text,
      int items, int batchSize, int workers, LongConsumer progress) {
    if (listings.isEmpty()) {
      throw new IllegalArgumentException("no listings to benchmark");
    }
    int perRound = itemsPerRound(items, batchSize);
    List<Listing> round = new ArrayList<>(perRound);
    for (int i = 0; i < perRound; i++) {
      round.add(listings.get(i % listings.size()));
    }
    EmbeddingPipeline.Settings settings = new EmbeddingPipeline.Settings(workers, batchSize, 4 * batchSize);
    EmbeddingPipeline imagePipeline = new EmbeddingPipeline(image, null, settings);
    EmbeddingPipeline textPipeline = new EmbeddingPipeline(null, text, settings);

    // Ready-made inputs for the raw rate; at most 64 distinct decoded images, reused, to bound memory.
    ImagePipeline decoder = new ImagePipeline(image.inputSize());
    List<float[]> distinct = new ArrayList<>();
    List<float[]> chw = new ArrayList<>(perRound);
    for (Listing l : round) {
      if (distinct.size() < 64) {
        distinct.add(decoder.loadChw(imagePath.apply(l)));
      }
      chw.add(distinct.get(chw.size() % distinct.size()));
    }
    List<String> texts = round.stream().map(Listing::searchableText).toList();
    List<Tokens> tokens = text instanceof BertTextEncoder bert ? texts.stream().map(bert::tokenize).toList() : null;

    // Warm-up: JIT, engine thread pools, TorchScript/ORT first-call optimization.
    List<Listing> warm = round.subList(0, Math.min(round.size(), 2 * batchSize));
    rawImages(image, chw.subList(0, warm.size()), batchSize);
    rawTexts(text, texts.subList(0, warm.size()), tokens == null ? null : tokens.subList(0, warm.size()), batchSize);
    imagePipeline.run(warm, imagePath, e -> { }, e -> { }, n -> { });
    textPipeline.run(warm, imagePath, e -> { }, e -> { }, n -> { });

    long rawImageNanos = 0;
    long pipeImageNanos = 0;
    long rawTextNanos = 0;
    long pipeTextNanos = 0;
    long done = 0;
    for (int r = 0; r < IMAGE_ROUNDS; r++) {
      rawImageNanos += rawImages(image, chw, batchSize);
      progress.accept(done += perRound);
      pipeImageNanos += imagePipeline.run(round, imagePath, e -> { }, e -> { }, n -> { }).nanos();
      progress.accept(done += perRound);
      if (r % (IMAGE_ROUNDS / TEXT_ROUNDS) != 0) {
        continue;
      }
      rawTextNanos += rawTexts(text, texts, tokens, batchSize);
      progress.accept(done += perRound);
      pipeTextNanos += textPipeline.run(round, imagePath, e -> { }, e -> { }, n -> { }).nanos();
      progress.accept(done += perRound);
    }
    long images = (long) perRound * IMAGE_ROUNDS;
    long sentences = (long) perRound * TEXT_ROUNDS;
    return new Result(
        new Rates(images * 1e9 / rawImageNanos, images * 1e9 / pipeImageNanos),
        new Rates(sentences * 1e9 / rawTextNanos, sentences * 1e9 / pipeTextNanos),
        perRound, batchSize, workers);
  }

  private static int itemsPerRound(int items, int batchSize) {
    return Math.max(batchSize, items / batchSize * batchSize);
  }

  /** What {@link #run} reports to its progress callback by the end: raw and pipeline of every round. */
  public static long progressTotal(int items, int batchSize) {
    return 2L * (IMAGE_ROUNDS + TEXT_ROUNDS) * itemsPerRound(items, batchSize);
  }

  private static long rawImages(ImageEncoder image, List<float[]> chw, int batchSize) {
    long start = System.nanoTime();
    for (int from = 0; from < chw.size(); from += batchSize) {
      image.encode(chw.subList(from, Math.min(chw.size(), from + batchSize)));
    }
    return System.nanoTime() - start;
  }

  private static long rawTexts(TextEncoder text, List<String> texts, List<Tokens> tokens, int batchSize) {
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batchSize) {
      int to = Math.min(texts.size(), from + batchSize);
      if (tokens != null) {
        ((BertTextEncoder) text).encodeTokens(tokens.subList(from, to));
      } else {
        text.encode(texts.subList(from, to));
      }
    }
    return System.nanoTime() - start;
  }

  /**
   * Encodes {@code encodes} items (alternating image and text batches from the given inputs) and
   * samples the process RSS {@code samples} times, after a warm-up batch of each. A steady RSS
   * after the first samples means native memory is released batch by batch.
   *
   * <p>Each sample is taken after a garbage collection: DJL hands inputs to the engines through
   * direct buffers that are freed only when their Java objects are collected, so with a large heap
   * an unsettled reading mostly shows how long ago the last collection ran.
   */
  public static List<RssSample> memoryRun(ImageEncoder image, TextEncoder text, List<float[]> chw, List<String> texts,
      long encodes, int batchSize, int samples) {
    if (chw.isEmpty() || texts.isEmpty() || samples < 1) {
      throw new IllegalArgumentException("need images, texts and at least one sample");
    }
    List<float[]> imageBatch = cycle(chw, batchSize);
    List<String> textBatch = cycle(texts, batchSize);
    image.encode(imageBatch);
    text.encode(textBatch);
    List<RssSample> out = new ArrayList<>();
    out.add(new RssSample(0, settledRssKb()));
    long every = Math.max(2L * batchSize, encodes / samples);
    long next = every;
    long done = 0;
    while (done < encodes) {
      image.encode(imageBatch);
      text.encode(textBatch);
      done += 2L * batchSize;
      if (done >= next) {
        out.add(new RssSample(done, settledRssKb()));
        next += every;
      }
    }
    return out;
  }

  private static long settledRssKb() {
    System.gc();
    try {
      // Cleaners of the collected direct buffers run on their own thread, shortly after the GC.
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return RssProbe.rssKb();
  }

  private static <T> List<T> cycle(List<T> items, int n) {
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(items.get(i % items.size()));
    }
    return out;
  }
}
