package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.TimeSlice;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The HTTP server's worker threads answer requests with the request time slice. */
class RequestThreadsTest {
  @Test
  void aWorkerThreadHasTheRequestSlice() throws InterruptedException {
    Assumptions.assumeTrue(TimeSlice.currentThreadNanos().orElse(0) > 0, "only on Linux 6.12+ with custom slices");
    AtomicReference<OptionalLong> slice = new AtomicReference<>();
    AtomicReference<String> name = new AtomicReference<>();
    Thread worker = FacetServer.requestThreads().newThread(() -> {
      slice.set(TimeSlice.currentThreadNanos());
      name.set(Thread.currentThread().getName());
    });
    worker.start();
    worker.join();
    assertThat(name.get()).startsWith("facet-http");
    assertThat(slice.get()).hasValue(TimeSlice.REQUEST_NANOS);
  }
}
