package dev.facet.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.core.Interaction;
import dev.facet.core.RecordError;
import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;

/**
 * The live-catalog endpoints: catalog ingests handed over by {@code facet ingest}, batch upsert and
 * delete of listings, and batch events. Listing batches go through the same reader, validation and
 * {@code rejects.jsonl} as a catalog ingest; their image paths are relative to the served catalog.
 */
final class LiveApi implements AutoCloseable {
  /** Largest listings or events batch body. */
  static final int MAX_BATCH_BYTES = 32 * 1024 * 1024;
  /** Most ids one delete may name. */
  static final int MAX_DELETE_IDS = 100_000;
  /** Rejects quoted in a batch reply (all of them are in rejects.jsonl). */
  private static final int QUOTED_REJECTS = 20;
  static final String JOBS = "/api/ingest/";

  private final EngineState state;
  private final IngestJobs jobs = new IngestJobs();
  private final AtomicLong batches = new AtomicLong();

  LiveApi(EngineState state) {
    this.state = state;
  }

  /** Starts an ingest of a catalog directory on this machine; only local clients may name server paths. */
  Reply submitIngest(Request request) {
    requireLocal(request);
    JsonNode json = jsonBody(request, 64 * 1024);
    String catalog = json.path("catalog").asText("");
    if (catalog.isBlank() || !Path.of(catalog).isAbsolute() || !Files.isDirectory(Path.of(catalog))) {
      throw HttpException.badRequest("'catalog' must be the absolute path of a catalog directory, got '" + catalog + "'");
    }
    CatalogIngestor.DeletePolicy deletes;
    try {
      deletes = json.path("delete_missing").asBoolean(false)
          ? CatalogIngestor.DeletePolicy.deleteMissing(json.path("max_delete_share").asDouble(0.2))
          : CatalogIngestor.DeletePolicy.KEEP;
    } catch (IllegalArgumentException e) {
      throw HttpException.badRequest(e.getMessage());
    }
    Facet facet = state.facetOr503();
    return Reply.json(202, jobs.submit(facet, Path.of(catalog), deletes).toJson());
  }

  Reply job(String id) {
    IngestJobs.Job job;
    try {
      job = jobs.get(Long.parseLong(id));
    } catch (NumberFormatException e) {
      job = null;
    }
    if (job == null) {
      throw HttpException.notFound("no ingest job '" + id + "'");
    }
    return Reply.json(job.toJson());
  }

  /** Upserts the JSONL listings of the body as one batch, committed together. */
  Reply upsertListings(Request request) {
    byte[] body = Api.readBody(request, MAX_BATCH_BYTES, "listings batch");
    Facet facet = state.facetOr503();
    Path catalog = state.catalogDir().orElseThrow(() -> new HttpException(409, "the engine serves no catalog directory "
        + "to resolve image paths against"));
    Path file = incoming(facet, "listings", body);
    try {
      CatalogIngestor.Report r = facet.ingestor().upsertBatch(file, catalog, catalog, CatalogIngestor.Progress.NONE);
      ObjectNode node = Views.JSON.createObjectNode().put("read", r.listingsRead()).put("embedded", r.upserted())
          .put("edited", r.edited()).put("unchanged", r.unchanged()).put("rejected", r.rejected())
          .put("index_size", r.indexSize()).put("summary", r.summary());
      node.set("rejects", quotedRejects(r));
      return Reply.json(node);
    } finally {
      deleteQuietly(file);
    }
  }

  /** Deletes the listings named by {@code {"ids": [...]}}, committed together. */
  Reply deleteListings(Request request) {
    JsonNode ids = jsonBody(request, MAX_BATCH_BYTES).get("ids");
    if (ids == null || !ids.isArray() || ids.size() > MAX_DELETE_IDS) {
      throw HttpException.badRequest("the body must be {\"ids\": [...]} with at most " + MAX_DELETE_IDS + " listing ids");
    }
    List<String> list = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > Api.MAX_ID_LENGTH) {
        throw HttpException.badRequest("every id must be a non-empty string of at most " + Api.MAX_ID_LENGTH + " characters");
      }
      list.add(id.asText());
    }
    Facet facet = state.facetOr503();
    int deleted = facet.ingestor().deleteBatch(list);
    return Reply.json(Views.JSON.createObjectNode().put("deleted", deleted).put("index_size", facet.index().size()));
  }

  /** Records the JSONL events of the body; events that fail validation or name unknown listings are listed back. */
  Reply events(Request request) {
    byte[] body = Api.readBody(request, MAX_BATCH_BYTES, "events batch");
    Facet facet = state.facetOr503();
    Path file = incoming(facet, "events", body);
    List<Interaction> accepted = new ArrayList<>();
    List<RecordError> rejected = new ArrayList<>();
    try {
      facet.catalogReader().readInteractions(file, e -> {
        if (facet.index().get(e.item()).isPresent()) {
          accepted.add(e);
        } else {
          rejected.add(new RecordError("body", 0, e.user(), "item", "unknown listing '" + e.item() + "'"));
        }
      }, rejected::add);
    } finally {
      deleteQuietly(file);
    }
    facet.recordEvents(accepted);
    ObjectNode node = Views.JSON.createObjectNode().put("recorded", accepted.size()).put("rejected", rejected.size());
    ArrayNode errors = node.putArray("errors");
    for (RecordError e : rejected.subList(0, Math.min(QUOTED_REJECTS, rejected.size()))) {
      errors.addObject().put("line", e.line()).put("field", e.field()).put("reason", e.reason());
    }
    return Reply.json(202, node);
  }

  private static ArrayNode quotedRejects(CatalogIngestor.Report r) {
    ArrayNode out = Views.JSON.createArrayNode();
    if (r.rejected() == 0) {
      return out;
    }
    try (var lines = Files.lines(r.rejectsFile())) {
      lines.limit(QUOTED_REJECTS).forEach(line -> {
        try {
          out.add(Views.JSON.readTree(line));
        } catch (IOException e) {
          out.add(line);
        }
      });
    } catch (IOException e) {
      // the counts are in the reply; the file is the operator's to read
    }
    return out;
  }

  /** The body as a file under {@code <work>/incoming}, for the catalog reader (names carry the line numbers). */
  private Path incoming(Facet facet, String what, byte[] body) {
    try {
      Path dir = Files.createDirectories(facet.config().workDir().resolve("incoming"));
      Path file = dir.resolve(what + "-" + ProcessHandle.current().pid() + "-" + batches.incrementAndGet() + ".jsonl");
      Files.write(file, body);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("storing the " + what + " batch", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // left in incoming/, harmless
    }
  }

  private static JsonNode jsonBody(Request request, int max) {
    byte[] body = Api.readBody(request, max, "request body");
    try {
      JsonNode json = Views.JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw HttpException.badRequest("the body must be a JSON object");
      }
      return json;
    } catch (IOException e) {
      throw HttpException.badRequest("the body is not valid JSON");
    }
  }

  private static void requireLocal(Request request) {
    String address = Request.getRemoteAddr(request);
    try {
      if (address != null && InetAddress.getByName(address).isLoopbackAddress()) {
        return;
      }
    } catch (UnknownHostException e) {
      // refused below
    }
    throw new HttpException(403, "catalog ingests naming a server directory are accepted from this machine only; "
        + "remote clients post listings to /api/listings");
  }

  @Override
  public void close() {
    jobs.close();
  }
}
