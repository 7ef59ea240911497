package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.BackgroundPriority;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingPipelineTest {
  private static TorchScriptImageEncoder image;
  private static BertTextEncoder text;

  @BeforeAll
  static void open() throws Exception {
    image = TorchScriptImageEncoder.open(TorchScriptImageEncoderTest.fixture("tiny-resnet.pt"), 224, Device.CPU);
    text = BertTextEncoder.open(TestModels.modelsDir(), TestModels.cacheDir());
  }

  @AfterAll
  static void close() {
    image.close();
    text.close();
  }

  @Test
  void corruptImageRejectsOnlyItsRecord(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 11, 7L);
    // Listing 4: a JPEG cut in half (no end-of-image marker); listing 9: its image is missing.
    Path truncated = dir.resolve(listings.get(4).primaryImage());
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Files.delete(dir.resolve(listings.get(9).primaryImage()));

    EmbeddingPipeline pipeline = new EmbeddingPipeline(image, text, new EmbeddingPipeline.Settings(2, 4, 8));
    List<ListingEmbedding> out = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();
    List<Long> progress = new CopyOnWriteArrayList<>();
    EmbeddingPipeline.Summary summary = pipeline.run(listings, EmbeddingPipeline.imagesUnder(dir), out::add, errors::add, progress::add);

    assertThat(summary.embedded()).isEqualTo(9);
    assertThat(summary.rejected()).isEqualTo(2);
    assertThat(out).extracting(ListingEmbedding::id)
        .containsExactlyElementsOf(listings.stream().map(Listing::id).filter(id -> !id.equals("T-00004") && !id.equals("T-00009")).toList());
    assertThat(errors).extracting(RecordError::recordId).containsExactly("T-00004", "T-00009");
    assertThat(errors).allSatisfy(e -> assertThat(e.field()).isEqualTo("images"));
    assertThat(errors.get(1).reason()).contains("missing");
    assertThat(progress).isSorted().last().isEqualTo(11L);

    // Pipeline vectors are the encoders' own results for the same inputs.
    ImagePipeline decoder = new ImagePipeline(224);
    Listing first = listings.get(0);
    float[] direct = image.encode(List.of(decoder.loadChw(dir.resolve(first.primaryImage()))))[0];
    float[] directText = text.encode(List.of(first.searchableText()))[0];
    assertThat(Vectors.dot(out.get(0).image(), direct)).isGreaterThan(0.9999);
    assertThat(Vectors.dot(out.get(0).text(), directText)).isGreaterThan(0.9999);
    assertThat(out.get(0).image()).hasSize(128);
    assertThat(out.get(0).text()).hasSize(512);
  }

  @Test
  void anImagePathRefusedWhenResolvedRejectsOnlyItsRecord(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("catalog");
    List<Listing> listings = new ArrayList<>(SyntheticCatalog.write(catalog, 4, 13L));
    // Built directly, past the reader's checks: resolving used to throw out of the whole run.
    Files.copy(catalog.resolve(listings.get(0).primaryImage()), dir.resolve("outside.jpg"));
    Listing first = listings.get(1);
    listings.set(1, new Listing(first.id(), first.title(), null, null, first.category(), null, null, null, null, first.price(),
        null, null, List.of("../outside.jpg"), true, null));
    Listing second = listings.get(2);
    listings.set(2, new Listing(second.id(), second.title(), null, null, second.category(), null, null, null, null, second.price(),
        null, null, List.of("images/a\0.jpg"), true, null));
    List<ListingEmbedding> out = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();
    new EmbeddingPipeline(image, null, new EmbeddingPipeline.Settings(2, 2, 4))
        .run(listings, EmbeddingPipeline.imagesUnder(catalog), out::add, errors::add, n -> { });
    assertThat(out).hasSize(2);
    assertThat(errors).extracting(RecordError::recordId).containsExactly(first.id(), second.id());
    assertThat(errors.get(0).reason()).contains("leaves the catalog directory");
    assertThat(errors.get(1).reason()).contains("illegal character U+0000");
  }

  @Test
  void singleModalityRunsLeaveOtherVectorNull(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 5, 11L);
    EmbeddingPipeline both = new EmbeddingPipeline(image, text, new EmbeddingPipeline.Settings(1, 2, 2));
    List<ListingEmbedding> textOnly = new ArrayList<>();
    // Text-only runs never open the images, so a missing image is not an error there.
    Files.delete(dir.resolve(listings.get(2).primaryImage()));
    both.textOnly().run(listings, EmbeddingPipeline.imagesUnder(dir), textOnly::add, e -> { throw new AssertionError(e); }, n -> { });
    assertThat(textOnly).hasSize(5).allSatisfy(e -> assertThat(e.image()).isNull());
    List<ListingEmbedding> imageOnly = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();
    both.imageOnly().run(listings, EmbeddingPipeline.imagesUnder(dir), imageOnly::add, errors::add, n -> { });
    assertThat(imageOnly).hasSize(4).allSatisfy(e -> assertThat(e.text()).isNull());
    assertThat(errors).hasSize(1);
  }

  @Test
  void workersRunBelowTheCallersPriorityOnLinux(@TempDir Path dir) throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 6, 13L);
    org.junit.jupiter.api.Assumptions.assumeTrue(BackgroundPriority.currentNice().isPresent(),
        "thread nice values are only set on Linux with a reachable libc");
    int callerNice = BackgroundPriority.currentNice().getAsInt();
    List<Integer> workerNice = new CopyOnWriteArrayList<>();
    Thread caller = Thread.currentThread();
    EmbeddingPipeline pipeline = new EmbeddingPipeline(image, null, new EmbeddingPipeline.Settings(2, 2, 4));
    pipeline.run(listings, listing -> {
      if (Thread.currentThread() != caller) {
        workerNice.add(BackgroundPriority.currentNice().getAsInt());
      }
      return dir.resolve(listing.primaryImage());
    }, e -> { }, e -> { throw new AssertionError(e); }, n -> { });
    assertThat(workerNice).isNotEmpty().allSatisfy(nice -> assertThat(nice)
        .isEqualTo(Math.max(callerNice, EmbeddingPipeline.PREPARATION_NICE)));
    assertThat(BackgroundPriority.currentNice().getAsInt()).as("the caller keeps its priority").isEqualTo(callerNice);
  }

  /**
   * Starved workers (a busy machine, low priority) must not stall a run: an item no worker has
   * started is prepared by the thread taking it, and one a worker did prepare is not prepared again.
   */
  @Test
  void takingAnUnstartedItemPreparesItOnTheCallingThread() throws Exception {
    java.util.concurrent.BlockingQueue<java.util.concurrent.RunnableFuture<String>> queue =
        new java.util.concurrent.ArrayBlockingQueue<>(2);
    java.util.concurrent.atomic.AtomicInteger preparations = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> preparedOn = new CopyOnWriteArrayList<>();
    java.util.concurrent.Callable<String> work = () -> {
      preparations.incrementAndGet();
      preparedOn.add(Thread.currentThread());
      return "prepared";
    };
    java.util.concurrent.FutureTask<String> neverStarted = new java.util.concurrent.FutureTask<>(work);
    java.util.concurrent.FutureTask<String> doneByAWorker = new java.util.concurrent.FutureTask<>(work);
    Thread worker = new Thread(doneByAWorker);
    worker.start();
    worker.join();
    queue.put(neverStarted);
    queue.put(doneByAWorker);
    java.util.concurrent.atomic.AtomicReference<Thread> taker = new java.util.concurrent.atomic.AtomicReference<>();
    String first = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
      taker.set(Thread.currentThread());
      return EmbeddingPipeline.takeNext(queue);
    }, "an unstarted item must not be waited for");
    String second = EmbeddingPipeline.takeNext(queue);
    assertThat(first).isEqualTo("prepared");
    assertThat(second).isEqualTo("prepared");
    assertThat(preparations).hasValue(2);
    assertThat(preparedOn).containsExactly(worker, taker.get());
  }
}
