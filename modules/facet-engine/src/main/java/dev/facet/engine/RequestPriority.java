package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.RequestThreads;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts request calls ahead of background work: while a catalog write or a training run is under way
 * ({@link #background}), request threads ({@link RequestThreads#markCurrent}) run real-time from
 * their first call ({@link #beforeCall}). Their first call after the work ended lowers them back
 * before it runs, so without background work request calls do not keep ordinary threads (the JIT
 * compiler, the collector's helpers) from the cores; an unmarked thread (a caller's batch job) is
 * never raised. A raised thread that makes no further call stays real-time, doing whatever its owner
 * runs on it, until it does.
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
    REFUSED;

    /** The state as reports give it ({@code bench live}'s JSON, {@code /api/health}): its name in lower case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Ends a scope; closes without checked exceptions. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private final AtomicInteger backgroundJobs = new AtomicInteger();
  private final AtomicLong raisedCalls = new AtomicLong();
  /** The scheduling a raised thread had before ({@link RequestThreads#raiseCurrent}); null when not raised. */
  private final ThreadLocal<byte[]> raisedFrom = new ThreadLocal<>();
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
   * Called at the start of each request call on the calling thread. While background work is under way, a
   * marked thread is raised to real-time at its call's start (where the kernel permits) and stays so
   * between calls, as it sleeps and wakes, until its first call after the work ended, which lowers it
   * back before it runs. Nothing happens on unmarked threads.
   *
   * <p>Why not only for the call's length: raising at each call's start and lowering at its end was
   * measured ({@code facet bench live}, README) and its calls waited for a core longer than with no
   * raising at all, while threads kept real-time throughout did not wait. (Our reading, not verified:
   * every lowering re-places the thread among ordinary threads, and it wakes for its next call as an
   * ordinary thread again.)
   */
  public void beforeCall() {
    if (!RequestThreads.currentIsMarked()) {
      return;
    }
    byte[] before = raisedFrom.get();
    if (backgroundJobs.get() == 0 || state == State.OFF || state == State.REFUSED) {
      if (before != null) {
        raisedFrom.remove();
        RequestThreads.restoreCurrent(before);
      }
      return;
    }
    if (before == null) {
      before = RequestThreads.raiseCurrent();
      if (before == null) {
        refusedUnlessAlreadyRealtime();
        return;
      }
      raisedFrom.set(before);
      state = State.REALTIME;
    }
    raisedCalls.incrementAndGet();
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

  /** Calls made by raised threads so far. */
  public long raisedCalls() {
    return raisedCalls.get();
  }
}
