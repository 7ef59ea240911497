package dev.facet.solr;

import dev.facet.index.IndexedListing;
import dev.facet.index.IndexedListingStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrInputDocument;

/**
 * Bulk loading into a SolrCloud collection over SolrJ: from a stream of the embedded index's listings or from
 * any stream of {@link IndexedListing}s (e.g. the Spark job's Parquet via
 * {@code dev.facet.spark.ParquetVectors.forEach}). Documents go in batches (the cloud client routes each
 * to its shard leader); one hard commit at the end.
 */
public final class SolrLoader {
  private final SolrClient client;
  private final String collection;
  private final int batchSize;

  public SolrLoader(SolrClient client, String collection, int batchSize) {
    this.client = Objects.requireNonNull(client, "client");
    this.collection = Objects.requireNonNull(collection, "collection");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1");
    }
    this.batchSize = batchSize;
  }

  /** Loads every listing of an {@link IndexedListingStream} (what {@code facet solr-load} feeds the loader). */
  public long loadFrom(DataInputStream in, LongConsumer progress) throws IOException {
    Iterable<IndexedListing> items = () -> new Iterator<>() {
      private IndexedListing next = read();

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public IndexedListing next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        IndexedListing out = next;
        next = read();
        return out;
      }

      private IndexedListing read() {
        try {
          return IndexedListingStream.read(in);
        } catch (IOException e) {
          throw new UncheckedIOException("reading the listings to load", e);
        }
      }
    };
    return load(items, progress);
  }

  /**
   * Sends one batch; retries with back-off while the cluster fails over (a node leaving makes updates
   * to the shards it led fail until a new leader is elected). Re-sending is safe: documents are upserts by id.
   */
  private void add(List<SolrInputDocument> batch) throws SolrServerException, IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        client.add(collection, batch);
        return;
      } catch (SolrServerException | IOException | RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(250L * attempt * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Attempts per batch before the load fails. */
  static final int MAX_ATTEMPTS = 8;

  /** Loads {@code items}, committing once at the end; reports the count after every batch. */
  public long load(Iterable<IndexedListing> items, LongConsumer progress) {
    List<SolrInputDocument> batch = new ArrayList<>(batchSize);
    long n = 0;
    try {
      for (IndexedListing item : items) {
        batch.add(SolrDocs.toSolr(item));
        if (batch.size() == batchSize) {
          add(batch);
          n += batch.size();
          batch.clear();
          progress.accept(n);
        }
      }
      if (!batch.isEmpty()) {
        add(batch);
        n += batch.size();
        progress.accept(n);
      }
      client.commit(collection);
      return n;
    } catch (SolrServerException e) {
      throw new IllegalStateException("loading into " + collection + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
