package dev.facet.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ThreadWaitsTest {
  @Test
  void parkingShowsAsParkedTimeNotAsAWaitForACore() {
    ThreadWaits waits = ThreadWaits.start();
    long parkedBefore = waits.parkedNanos();
    long runQueueBefore = waits.runQueueNanos();
    assumeTrue(parkedBefore >= 0, "this JVM does not monitor thread contention");
    long until = System.nanoTime() + 60_000_000L;
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
    long parked = waits.parkedNanos() - parkedBefore;
    assertTrue(parked >= 40_000_000L && parked <= 5_000_000_000L, "parked " + parked + " ns in a 60 ms park");
    if (runQueueBefore >= 0) {
      long runQueue = waits.runQueueNanos() - runQueueBefore;
      assertTrue(runQueue >= 0 && runQueue < parked, "waited " + runQueue + " ns for a core while parked " + parked);
    }
  }
}
