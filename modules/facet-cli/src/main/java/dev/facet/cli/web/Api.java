package dev.facet.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.EventTimes;
import dev.facet.core.EventType;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.SearchHit;
import dev.facet.engine.Facet;
import dev.facet.engine.Recommendations;
import dev.facet.engine.SimilarItems;
import dev.facet.index.IndexedListing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Promise;

/** The JSON endpoints. Each method validates its input, calls the engine and returns a {@link Reply}. */
final class Api {
  /** Largest accepted photo upload (whole request body). */
  static final int MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
  /** Largest accepted event body; one event is well under 1 KiB. */
  static final int MAX_EVENT_BYTES = 16 * 1024;
  static final int MAX_ID_LENGTH = 128;

  private final EngineState state;
  /** Filter choices for the page, computed once per engine instance. */
  private volatile FilterChoices choices;

  private record FilterChoices(Facet facet, ObjectNode node) {}

  Api(EngineState state) {
    this.state = state;
  }

  Reply health() {
    EngineState.Snapshot s = state.snapshot();
    ObjectNode node = Views.JSON.createObjectNode();
    switch (s.status()) {
      case OK -> {
        node.put("status", "ok");
        node.put("listings", s.facet().index().size());
        node.put("model", s.facet().training().hasModel());
        s.facet().training().whyNoModel().ifPresent(why -> node.put("model_absent", why));
        // Whether requests go ahead of live updates here: realtime, refused (no privilege), off, or untried.
        node.put("request_priority", s.facet().requestPriority().state().label());
      }
      case STARTING -> node.put("status", "starting").put("phase", s.phase());
      case FAILED -> node.put("status", "failed").put("error", s.error());
    }
    // Starting is healthy (the process is up and making progress); only a failed start is not.
    return Reply.json(s.status() == EngineState.Status.FAILED ? 503 : 200, node);
  }

  private volatile ImagePipeline uploadCheck;

  /** Decodes uploads while the engine starts, so a non-image gets its 415 at once. */
  private ImagePipeline uploadCheck() {
    ImagePipeline p = uploadCheck;
    if (p == null) {
      synchronized (this) {
        if (uploadCheck == null) {
          uploadCheck = new ImagePipeline(ImagePipeline.DEFAULT_SIZE);
        }
        p = uploadCheck;
      }
    }
    return p;
  }

  Reply recommend(Request request) {
    // Parameters are checked before readiness: a malformed request is the client's error (4xx)
    // whether or not the engine has finished starting.
    QueryParams q = QueryParams.of(request);
    String user = q.optional("user");
    List<String> session = q.list("session");
    if (user != null && !session.isEmpty()) {
      throw HttpException.badRequest("give either 'user' or 'session', not both");
    }
    if (user == null && session.isEmpty()) {
      throw HttpException.badRequest("parameter 'user' (or 'session' with listing ids) is required");
    }
    int k = q.k();
    Filter filter = q.filter();
    if (user != null) {
      checkId("user", user);
    }
    Facet facet = state.facetOr503();
    Recommendations recs;
    ObjectNode node;
    if (user != null) {
      recs = facet.recommendations(user, k, filter);
      node = Views.recommendations(recs.items(), lookup(facet));
      node.put("user", user);
    } else {
      for (String id : session) {
        requireListing(facet, id);
      }
      recs = facet.recommendationsForSession(session, k, filter);
      node = Views.recommendations(recs.items(), lookup(facet));
      node.putPOJO("session", session);
    }
    // which model generation ranked them (null: no model yet, the fallbacks answered)
    node.put("generation", recs.generation());
    return Reply.json(node);
  }

  Reply similarByItem(Request request) {
    QueryParams q = QueryParams.of(request);
    String item = q.required("item");
    SimilarItems.Mode mode = q.choice("mode", SimilarItems.Mode.class, SimilarItems.Mode.IMAGE);
    int k = q.k();
    Filter filter = q.filter();
    Facet facet = state.facetOr503();
    requireListing(facet, item);
    List<SearchHit> hits = facet.similar().byItem(item, mode, k, filter);
    ObjectNode node = Views.hits(hits, lookup(facet));
    node.put("item", item);
    return Reply.json(node);
  }

  Reply similarByPhoto(Request request) {
    QueryParams q = QueryParams.of(request);
    int k = q.k();
    Filter filter = q.filter();
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw new HttpException(415, "upload the photo as multipart/form-data with a field named 'photo'");
    }
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw HttpException.badRequest("multipart content type without a boundary");
    }
    byte[] body = readBody(request, MAX_UPLOAD_BYTES, "photo upload");
    MultiPartFormData.Parts parts = parseMultipart(body, boundary);
    try (parts) {
      MultiPart.Part photo = parts.getFirst("photo");
      if (photo == null) {
        throw HttpException.badRequest("the multipart body has no field named 'photo'");
      }
      byte[] bytes;
      try {
        bytes = toArray(Content.Source.asByteBuffer(photo.getContentSource()));
      } catch (IOException e) {
        throw HttpException.badRequest("unreadable photo part");
      }
      if (bytes.length == 0) {
        throw HttpException.badRequest("the photo is empty");
      }
      String name = photo.getFileName() != null ? photo.getFileName() : "upload";
      Facet facet = state.facetOrNull();
      if (facet == null) {
        // Not ready: still tell a client that sent no image so, before asking it to retry.
        try {
          uploadCheck().decodeChw(bytes, "upload " + name);
        } catch (ImageRejectedException e) {
          throw new HttpException(415, "not a usable image: " + e.reason());
        }
        facet = state.facetOr503();
      }
      List<SearchHit> hits;
      try {
        hits = facet.similar().byImage(bytes, "upload " + name, k, filter);
      } catch (ImageRejectedException e) {
        throw new HttpException(415, "not a usable image: " + e.reason());
      }
      return Reply.json(Views.hits(hits, lookup(facet)));
    }
  }

  /** Parses a buffered multipart body (bounded parts and sizes, never spilled to disk). */
  private static MultiPartFormData.Parts parseMultipart(byte[] body, String boundary) {
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxParts(8);
    parser.setMaxLength(MAX_UPLOAD_BYTES);
    parser.setMaxFileSize(MAX_UPLOAD_BYTES);
    parser.setMaxMemoryFileSize(MAX_UPLOAD_BYTES); // the body is in memory already; never spill to disk
    try {
      // The whole body is already buffered, so parsing completes synchronously.
      CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
      parser.parse(Content.Source.from(ByteBuffer.wrap(body)), Promise.Invocable.toPromise(parsed));
      return parsed.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw HttpException.badRequest("malformed multipart body");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpException(503, "interrupted");
    }
  }

  Reply search(Request request) {
    QueryParams q = QueryParams.of(request);
    String text = q.required("q");
    SimilarItems.TextMode mode = q.choice("mode", SimilarItems.TextMode.class, SimilarItems.TextMode.HYBRID);
    int k = q.k();
    Filter filter = q.filter();
    Facet facet = state.facetOr503();
    ObjectNode node = Views.hits(facet.similar().byText(text, mode, k, filter), lookup(facet));
    node.put("q", text);
    return Reply.json(node);
  }

  Reply event(Request request) {
    byte[] body = readBody(request, MAX_EVENT_BYTES, "event");
    JsonNode json;
    try {
      json = Views.JSON.readTree(body);
    } catch (IOException e) {
      throw HttpException.badRequest("the body is not valid JSON");
    }
    if (json == null || !json.isObject()) {
      throw HttpException.badRequest("the body must be a JSON object {\"user\", \"item\", \"event\", \"ts\"?}");
    }
    String user = text(json, "user");
    String item = text(json, "item");
    checkId("user", user);
    EventType type;
    try {
      type = EventType.parse(text(json, "event"));
    } catch (IllegalArgumentException e) {
      throw HttpException.badRequest(e.getMessage() + "; expected view, click, favorite, cart or purchase");
    }
    Instant ts = timestamp(json.get("ts"));
    Facet facet = state.facetOr503();
    requireListing(facet, item);
    facet.recordEvent(new Interaction(user, item, type, ts));
    ObjectNode node = Views.JSON.createObjectNode().put("status", "recorded").put("user", user).put("item", item)
        .put("event", type.wireName()).put("ts", ts.toString());
    return Reply.json(202, node);
  }

  Reply item(String id) {
    Facet facet = state.facetOr503();
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw HttpException.notFound("unknown listing");
    }
    IndexedListing doc = facet.index().get(id).orElseThrow(() -> HttpException.notFound("unknown listing '" + id + "'"));
    return Reply.json(Views.listing(doc.listing()));
  }

  /** Distinct categories, materials and gemstones of the catalog, and its price range, for the page's filters. */
  Reply filters() {
    Facet facet = state.facetOr503();
    FilterChoices cached = choices;
    if (cached == null || cached.facet() != facet) {
      TreeSet<String> categories = new TreeSet<>();
      TreeSet<String> materials = new TreeSet<>();
      TreeSet<String> gemstones = new TreeSet<>();
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (IndexedListing doc : facet.index().getAll(facet.index().ids()).values()) {
        var l = doc.listing();
        categories.add(l.category());
        if (l.material() != null) {
          materials.add(l.material());
        }
        if (l.gemstone() != null) {
          gemstones.add(l.gemstone());
        }
        min = Math.min(min, l.price());
        max = Math.max(max, l.price());
      }
      ObjectNode node = Views.JSON.createObjectNode();
      node.putPOJO("category", categories);
      node.putPOJO("material", materials);
      node.putPOJO("gemstone", gemstones);
      node.put("min_price", Double.isInfinite(min) ? 0 : min);
      node.put("max_price", max);
      cached = new FilterChoices(facet, node);
      choices = cached;
    }
    return Reply.json(cached.node());
  }

  private static Function<String, Optional<IndexedListing>> lookup(Facet facet) {
    return id -> facet.index().get(id);
  }

  private static void requireListing(Facet facet, String id) {
    checkId("item", id);
    if (facet.index().get(id).isEmpty()) {
      throw HttpException.notFound("unknown listing '" + id + "'");
    }
  }

  private static void checkId(String what, String id) {
    if (id == null || id.isBlank()) {
      throw HttpException.badRequest("'" + what + "' is required");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw HttpException.badRequest("'" + what + "' is longer than " + MAX_ID_LENGTH + " characters");
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      throw HttpException.badRequest("field '" + field + "' is required");
    }
    if (!value.isTextual()) {
      throw HttpException.badRequest("field '" + field + "' must be a string");
    }
    return value.asText().trim();
  }

  /** ISO-8601 instant or epoch milliseconds; now when absent. */
  private static Instant timestamp(JsonNode ts) {
    if (ts == null || ts.isNull()) {
      return Instant.now();
    }
    Instant parsed = null;
    if (ts.isIntegralNumber() && ts.canConvertToLong()) {
      parsed = Instant.ofEpochMilli(ts.asLong());
    } else if (ts.isTextual()) {
      try {
        parsed = Instant.parse(ts.asText());
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    if (parsed != null) {
      // The reader's range: an event accepted here must still load after a restart.
      if (!EventTimes.accepted(parsed)) {
        throw HttpException.badRequest("field 'ts' is out of range: " + parsed + " (accepted " + EventTimes.RANGE + ")");
      }
      return parsed;
    }
    throw HttpException.badRequest("field 'ts' must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds");
  }

  /**
   * Reads the request body into memory, refusing more than {@code max} bytes with 413. The declared
   * length is checked first so an honest client is refused before it sends anything; a chunked body
   * is counted as it arrives.
   */
  static byte[] readBody(Request request, int max, String what) {
    long declared = request.getLength();
    try (var in = Content.Source.asInputStream(request)) {
      if (declared > max) {
        // A client that asked "Expect: 100-continue" waits for this answer before sending; any
        // other client is already sending, and would see a connection reset instead of the 413 if
        // the server closed on it mid-body, so a moderately oversized body is read and dropped.
        if (!expectsContinue(request) && declared <= (long) max * DRAIN_FACTOR) {
          in.skipNBytes(declared);
        }
        throw new HttpException(413, what + " is larger than " + max / 1024 + " KiB");
      }
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new HttpException(413, what + " is larger than " + max / 1024 + " KiB");
      }
      return bytes;
    } catch (IOException e) {
      throw HttpException.badRequest("could not read the request body");
    }
  }

  /** Oversized bodies up to this many times the limit are drained so the client reads the 413. */
  private static final int DRAIN_FACTOR = 4;

  private static boolean expectsContinue(Request request) {
    String expect = request.getHeaders().get(HttpHeader.EXPECT);
    return expect != null && expect.equalsIgnoreCase("100-continue");
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
