package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.index.CatalogIndex;
import dev.facet.index.CatalogSearch;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.ReferenceManager;

/**
 * What recommendations read, published as one generation: the served model together with a frozen
 * view of the index ({@link CatalogIndex#openView}) whose joint vectors that model wrote. A request
 * pins one {@link Snapshot} for its whole run, so it never pairs one model's user tower with another
 * model's item vectors, and its index reads all see one point in time.
 *
 * <p>A writer section ({@link WriterLock}: ingests, batch upserts and deletes, the publication of a
 * trained model) freezes what is published: refreshes of the index during the section (the background
 * one included) are not shown to requests. When the section ends the index is refreshed and the model
 * now served is published with that refresh in one step, so a batch appears whole and a new model
 * appears with its vectors. Outside writer sections every refresh is published as it happens. A long
 * catalog ingest publishes at its checkpoints ({@link #publishNow}), which change no model.
 *
 * <p>Readers never wait for writers: taking a snapshot is a volatile read and a reference count.
 */
@Singleton
final class ServingGenerations implements AutoCloseable {
  private final ModelHolder models;
  private final Provider<? extends CatalogSearch> search;
  private volatile Snapshot current;
  /** Odd while a writer section is open; changes when one opens and when it closes. Written under this. */
  private volatile long sections;
  private boolean listening;

  @Inject
  ServingGenerations(ModelHolder models, Provider<CatalogSearch> search) {
    this.models = models;
    this.search = search;
  }

  /** For tests over a search backend that is not a Lucene index (no frozen views). */
  ServingGenerations(ModelHolder models, CatalogSearch search) {
    this.models = models;
    this.search = () -> search;
  }

  /** The generation to serve one request from; close it when the request is answered. */
  Snapshot acquire() {
    while (true) {
      Snapshot s = current;
      if (s == null || (sections & 1) == 0 && s.model != models.serving().orElse(null)) {
        s = republishIfIdle();
      }
      if (s.tryIncRef()) {
        return s;
      }
    }
  }

  /**
   * Publishes the served model with the latest refresh unless a writer section is open. A model
   * replaced outside a section (a user erased from it) keeps the item vectors, so it is published
   * with the index as it is.
   */
  private synchronized Snapshot republishIfIdle() {
    if (current == null || (sections & 1) == 0 && current.model != models.serving().orElse(null)) {
      publish(build());
    }
    return current;
  }

  /** A writer section begins: from now on refreshes are not published until {@link #writerLeaving}. */
  synchronized void writerEntered() {
    if (current == null) {
      publish(build()); // what requests see during the section: the state before it
    }
    sections++;
  }

  /** A writer section ends (its writer still holds the lock): refresh and publish model and index together. */
  void writerLeaving() {
    try {
      refreshIndex();
    } finally {
      synchronized (this) {
        sections++;
        publish(build());
      }
    }
  }

  /**
   * Publishes the index as it is now from inside a writer section that changed no model since it began
   * (an ingest's checkpoint), so a long ingest's listings do not wait for its end.
   */
  void publishNow() {
    refreshIndex();
    synchronized (this) {
      publish(build());
    }
  }

  private void refreshIndex() {
    if (search.get() instanceof CatalogIndex index) {
      index.refresh();
    }
  }

  private Snapshot build() {
    CatalogSearch s = search.get();
    ServingModel model = models.serving().orElse(null);
    if (s instanceof CatalogIndex index) {
      listen(index);
      CatalogIndex.View view = index.openView();
      return new Snapshot(model, view, view);
    }
    return new Snapshot(model, s, null);
  }

  private void publish(Snapshot next) {
    Snapshot old = current;
    current = next;
    if (old != null) {
      old.decRef();
    }
  }

  /** Publishes refreshes made outside writer sections (e.g. the background refresh of direct writes). */
  private void listen(CatalogIndex index) {
    if (listening) {
      return;
    }
    listening = true;
    index.addRefreshListener(new ReferenceManager.RefreshListener() {
      private long before;

      @Override
      public void beforeRefresh() {
        before = sections;
      }

      @Override
      public void afterRefresh(boolean didRefresh) {
        if (didRefresh) {
          refreshed(before);
        }
      }
    });
  }

  /** Publishes a refresh that began and ended with no writer section open. */
  private synchronized void refreshed(long sectionsBefore) {
    if ((sectionsBefore & 1) == 0 && sections == sectionsBefore && current != null) {
      publish(build());
    }
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.decRef();
      current = null;
    }
  }

  /**
   * One published generation: the served model (absent before the first training) and the index view
   * holding its item vectors. Reference counted: the view is released when the last request using it
   * closes its snapshot and a newer one was published.
   */
  static final class Snapshot implements AutoCloseable {
    private final ServingModel model;
    private final CatalogSearch search;
    private final CatalogIndex.View view;
    private final AtomicInteger refs = new AtomicInteger(1);

    private Snapshot(ServingModel model, CatalogSearch search, CatalogIndex.View view) {
      this.model = model;
      this.search = search;
      this.view = view;
    }

    Optional<ServingModel> model() {
      return Optional.ofNullable(model);
    }

    /** The generation id of the served model (see {@link ModelHolder#generation}), or null without one. */
    String generation() {
      return model == null ? null : model.generation();
    }

    /** The index as of this generation. */
    CatalogSearch search() {
      return search;
    }

    private boolean tryIncRef() {
      for (int r = refs.get(); r > 0; r = refs.get()) {
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
      return false;
    }

    private void decRef() {
      if (refs.decrementAndGet() == 0 && view != null) {
        view.close();
      }
    }

    @Override
    public void close() {
      decRef();
    }
  }
}
