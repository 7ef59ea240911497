package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.BackgroundPriority;
import dev.facet.core.Filter;
import dev.facet.core.RequestThreads;
import dev.facet.core.TimeSlice;
import dev.facet.embed.ImageEncoder;
import dev.facet.index.CatalogSearch;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A query photo is decoded and embedded on Facet's photo-query threads, below the caller's
 * priority and with the long time slice, and its vector and its errors come back to the caller.
 */
class PhotoQueryThreadsTest {
  private static final int SIDE = 32;

  @Test
  void aQueryPhotoIsEmbeddedOnALoweredLongSliceThreadAndTheCallerKeepsItsOwn() throws IOException {
    AtomicReference<String> thread = new AtomicReference<>();
    AtomicReference<OptionalInt> nice = new AtomicReference<>();
    AtomicReference<OptionalLong> slice = new AtomicReference<>();
    ImageEncoder encoder = new RecordingEncoder(() -> {
      thread.set(Thread.currentThread().getName());
      nice.set(BackgroundPriority.currentNice());
      slice.set(TimeSlice.currentThreadNanos());
    });
    SimilarItems similar = new SimilarItems(null, new ImagePipeline(SIDE), () -> encoder, () -> null, new RequestPriority(false));
    OptionalInt callerNice = BackgroundPriority.currentNice();
    OptionalLong callerSlice = TimeSlice.currentThreadNanos();

    float[] vector = similar.photoVector(png(), "query.png");

    assertThat(vector).containsExactly(1f, 0f);
    assertThat(thread.get()).startsWith("facet-photo-query-");
    if (callerNice.isPresent()) {
      assertThat(nice.get()).hasValue(Math.min(19, callerNice.getAsInt() + SimilarItems.PHOTO_QUERY_STEPS));
      assertThat(BackgroundPriority.currentNice()).as("the caller keeps its priority").isEqualTo(callerNice);
    }
    if (callerSlice.orElse(0) > 0) {
      assertThat(slice.get()).hasValue(TimeSlice.DEFAULT_LONG_NANOS);
      assertThat(TimeSlice.currentThreadNanos()).as("the caller keeps its slice").isEqualTo(callerSlice);
    }
  }

  @Test
  void duringAWriteARaisedCallersPhotoSearchIsRealtimeButItsEmbeddingIsNot() throws Exception {
    AtomicReference<Boolean> embeddedRealtime = new AtomicReference<>();
    AtomicReference<Boolean> searchedRealtime = new AtomicReference<>();
    CatalogSearch search = (CatalogSearch) Proxy.newProxyInstance(CatalogSearch.class.getClassLoader(),
        new Class<?>[] {CatalogSearch.class}, (proxy, method, args) -> {
          if (!method.getName().equals("knn")) {
            throw new UnsupportedOperationException(method.getName());
          }
          searchedRealtime.set(RequestThreads.currentRealtime().orElse(false));
          return List.of();
        });
    RequestPriority priority = new RequestPriority(true);
    SimilarItems similar = new SimilarItems(search, new ImagePipeline(SIDE),
        () -> new RecordingEncoder(() -> embeddedRealtime.set(RequestThreads.currentRealtime().orElse(false))), () -> null,
        priority);
    byte[] photo = png();
    ExecutorService requestThread = Executors.newSingleThreadExecutor();
    try (RequestPriority.Scope write = priority.background()) {
      requestThread.submit(() -> {
        RequestThreads.markCurrent();
        priority.beforeCall(); // an earlier call raised the thread: the photo-query thread it starts must not be
        return similar.byImage(photo, "query.png", 5, Filter.NONE);
      }).get();
    } finally {
      requestThread.shutdownNow();
    }
    Assumptions.assumeTrue(priority.state() == RequestPriority.State.REALTIME,
        "SCHED_RR refused here (" + priority.state() + "): no CAP_SYS_NICE and no real-time priority limit");
    assertThat(searchedRealtime.get()).as("the index search").isTrue();
    assertThat(embeddedRealtime.get()).as("the photo's embedding").isFalse();
  }

  @Test
  void aBrokenPhotoFailsTheCallerWithTheDecodersError() {
    SimilarItems similar = new SimilarItems(null, new ImagePipeline(SIDE), () -> new RecordingEncoder(() -> { }), () -> null,
        new RequestPriority(false));
    assertThatThrownBy(() -> similar.photoVector(new byte[] {1, 2, 3}, "broken.jpg"))
        .isInstanceOf(ImageRejectedException.class).hasMessageContaining("broken.jpg");
  }

  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 48; x++) {
        image.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | 90);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** Returns (1, 0) for every image of the right size, running {@code onEncode} first. */
  private record RecordingEncoder(Runnable onEncode) implements ImageEncoder {
    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int inputSize() {
      return SIDE;
    }

    @Override
    public float[][] encode(List<float[]> chwImages) {
      onEncode.run();
      float[][] out = new float[chwImages.size()][];
      for (int i = 0; i < out.length; i++) {
        assertThat(chwImages.get(i)).hasSize(3 * SIDE * SIDE);
        out[i] = new float[] {1f, 0f};
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
