package dev.facet.cli.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog ingests handed to the serving engine (by {@code facet ingest} while {@code serve} runs),
 * run one after another on a background thread. Each job's progress and report can be polled.
 */
final class IngestJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJobs.class);
  /** Finished jobs kept for polling. */
  private static final int KEEP = 64;

  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "facet-ingest-jobs");
    t.setDaemon(true);
    return t;
  });
  private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** One job: volatile fields written by the runner, read by pollers. */
  static final class Job implements CatalogIngestor.Progress {
    final long id;
    final Path catalog;
    volatile String state = "queued";
    volatile long total = -1;
    volatile long done;
    volatile CatalogIngestor.Report report;
    volatile String error;

    Job(long id, Path catalog) {
      this.id = id;
      this.catalog = catalog;
    }

    @Override
    public void start(long total) {
      this.total = total;
    }

    @Override
    public void advanceTo(long done) {
      this.done = done;
    }

    ObjectNode toJson() {
      ObjectNode node = Views.JSON.createObjectNode().put("id", Long.toString(id)).put("state", state)
          .put("catalog", catalog.toString()).put("total", total).put("done", done);
      CatalogIngestor.Report r = report;
      if (r != null) {
        node.put("summary", r.summary()).put("index_size", r.indexSize()).put("rejected", r.rejected())
            .put("delete_refused", r.deleteRefused() != null);
      }
      if (error != null) {
        node.put("error", error);
      }
      return node;
    }
  }

  Job submit(Facet facet, Path catalog, CatalogIngestor.DeletePolicy deletes) {
    Job job = new Job(ids.incrementAndGet(), catalog);
    jobs.put(job.id, job);
    jobs.keySet().removeIf(id -> id <= job.id - KEEP);
    runner.submit(() -> {
      job.state = "running";
      try {
        job.report = facet.ingestor().ingestWhileServing(catalog, deletes, job);
        job.state = "done";
        LOG.info("ingest job {}: {}", job.id, job.report.summary());
      } catch (RuntimeException | Error e) {
        job.error = EngineBootstrap.rootMessage(e);
        job.state = "failed";
        LOG.error("ingest job {} failed", job.id, e);
      }
    });
    return job;
  }

  Job get(long id) {
    return jobs.get(id);
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
