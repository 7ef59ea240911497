package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.RequestThreads;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts request calls ahead of background work: while a catalog write or a training run is under way
 * ({@link #background}), each call of a request thread ({@link RequestThreads#markCurrent}) runs
 * real-time for its length ({@link #call}). Without background work calls run as they are, so a
 * request thread never keeps ordinary threads (the JIT compiler, the collector's helpers) from a
 * core for long; and an unmarked thread (a caller's batch job) is never raised.
 *
 * <p>Why only while background work runs: that is when a call's wait for a core was measured ({@code
 * facet bench live}), and a real-time thread that is busy all the time would leave ordinary threads
 * only the share the kernel reserves for them.
 *
 * <p>{@code -D}{@value #PROPERTY}{@code =off} turns it off. Where the kernel refuses (no {@code
 * CAP_SYS_NICE} and no real-time priority limit), the first refusal turns it off and {@link #state}
 * says so.
 */
@Singleton
public final class RequestPriority {
  /** System property: {@code auto} (default: raise where permitted) or {@code off}. */
  public static final String PROPERTY = "facet.request.realtime";

  /** What raising calls has done so far. */
  public enum State {
    /** Turned off by {@value #PROPERTY}. */
    OFF,
    /** No call has been raised or refused yet. */
    UNTRIED,
    /** Calls are raised. */
    REALTIME,
    /** The kernel refused; calls run as ordinary threads. */
    REFUSED
  }

  /** Ends a scope; closes without checked exceptions. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final Scope NOTHING = () -> {};

  private final AtomicInteger backgroundJobs = new AtomicInteger();
  private final AtomicLong raisedCalls = new AtomicLong();
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  private volatile State state;

  @Inject
  RequestPriority() {
    this(enabledByProperty());
  }

  RequestPriority(boolean enabled) {
    this.state = enabled ? State.UNTRIED : State.OFF;
  }

  /** Whether {@value #PROPERTY} allows raising; rejects values other than auto and off. */
  static boolean enabledByProperty() {
    String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "auto" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto or off, got '" + value + "'");
    };
  }

  /** Marks background work (a catalog write, a training run) as under way until the scope closes. */
  public Scope background() {
    backgroundJobs.incrementAndGet();
    AtomicInteger once = new AtomicInteger();
    return () -> {
      if (once.getAndIncrement() == 0) {
        backgroundJobs.decrementAndGet();
      }
    };
  }

  /**
   * The scope of one request call on the calling thread: real-time until it closes when the thread
   * is marked, background work is under way and the kernel permits it; otherwise nothing. Nested
   * calls (a facade method calling another) keep the outer call's scheduling.
   */
  public Scope call() {
    int[] d = depth.get();
    if (d[0] > 0) {
      d[0]++;
      return () -> d[0]--;
    }
    if (!wanted()) {
      return NOTHING;
    }
    byte[] before = RequestThreads.raiseCurrent();
    if (before == null) {
      refusedUnlessAlreadyRealtime();
      return NOTHING;
    }
    state = State.REALTIME;
    raisedCalls.incrementAndGet();
    d[0] = 1;
    return () -> {
      d[0] = 0;
      RequestThreads.restoreCurrent(before);
    };
  }

  private boolean wanted() {
    State s = state;
    return (s == State.UNTRIED || s == State.REALTIME) && backgroundJobs.get() > 0 && RequestThreads.currentIsMarked();
  }

  /** A thread its owner already made real-time is left alone, and does not count as a refusal. */
  private void refusedUnlessAlreadyRealtime() {
    if (!RequestThreads.currentRealtime().orElse(false)) {
      state = State.REFUSED;
    }
  }

  /** Whether background work is under way now. */
  public boolean backgroundUnderWay() {
    return backgroundJobs.get() > 0;
  }

  /** What raising has done so far. */
  public State state() {
    return state;
  }

  /** Calls run real-time so far. */
  public long raisedCalls() {
    return raisedCalls.get();
  }
}
