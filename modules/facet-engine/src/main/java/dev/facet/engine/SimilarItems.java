package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.BackgroundPriority;
import dev.facet.core.FacetException;
import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.TextEncoder;
import dev.facet.index.CatalogSearch;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import java.util.List;
import java.util.Set;

/**
 * Visual and textual similarity search for merchants: by listing, by photo and by text, all with
 * filters applied inside the search. The query listing itself is never returned.
 */
@Singleton
public final class SimilarItems {
  /** Which vectors a by-listing search compares. */
  public enum Mode {
    IMAGE(VectorField.IMAGE),
    TEXT(VectorField.TEXT),
    FUSED(VectorField.FUSED);

    final VectorField field;

    Mode(VectorField field) {
      this.field = field;
    }
  }

  /** How a text query is matched. */
  public enum TextMode {
    VECTOR,
    BM25,
    HYBRID
  }

  /**
   * How many nice values below the engine's creator query photos are embedded. A query photo takes
   * the image networks about as much CPU as a hundred recommendations; at equal priority and slice,
   * recommendations that woke during one waited a scheduler tick for a core ({@code facet bench live}).
   */
  static final int PHOTO_QUERY_STEPS = 5;

  private final CatalogSearch search;
  private final ImagePipeline images;
  /** Where query photos are decoded and embedded: lowered threads with a long time slice. */
  private final OwnThreads photoQueries = new OwnThreads(Runtime.getRuntime().availableProcessors(),
      BackgroundPriority.loweredDaemons("facet-photo-query", PHOTO_QUERY_STEPS));
  private final Provider<ImageEncoder> imageEncoder;
  private final Provider<TextEncoder> textEncoder;
  private final RequestPriority requests;

  @Inject
  SimilarItems(CatalogSearch search, ImagePipeline images, Provider<ImageEncoder> imageEncoder, Provider<TextEncoder> textEncoder,
      RequestPriority requests) {
    this.requests = requests;
    this.search = search;
    this.images = images;
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
  }

  /** Listings similar to listing {@code id}. */
  public List<SearchHit> byItem(String id, Mode mode, int k, Filter filter) {
    requests.beforeCall();
    IndexedListing doc = search.get(id).orElseThrow(() -> new FacetException("unknown listing '" + id + "'"));
    float[] query = switch (mode) {
      case IMAGE -> doc.image();
      case TEXT -> doc.text();
      case FUSED -> doc.fused();
    };
    return search.knn(mode.field, query, k, filter, Set.of(id));
  }

  /**
   * Listings that look like a photo (JPEG/PNG/WebP bytes).
   *
   * <p>The photo's embedding, a hundred milliseconds of work on every core, runs on the lowered
   * photo-query threads, ordinary ones even when the caller was raised ({@link RequestPriority}); the
   * index search after it counts as a request call.
   *
   * @throws dev.facet.catalog.image.ImageRejectedException when the bytes are not a usable image
   */
  public List<SearchHit> byImage(byte[] photo, String sourceName, int k, Filter filter) {
    float[] query = photoVector(photo, sourceName);
    requests.beforeCall();
    return search.knn(VectorField.IMAGE, query, k, filter, Set.of());
  }

  /** The image vector of a query photo, decoded and embedded on the photo-query threads. */
  float[] photoVector(byte[] photo, String sourceName) {
    ImageEncoder encoder = imageEncoder.get();
    return photoQueries.run(() -> embed(encoder, photo, sourceName), "the query photo's embedding");
  }

  private float[] embed(ImageEncoder encoder, byte[] photo, String sourceName) {
    // The encoder's descriptor decides its input side (the catalog-trained one runs below 224);
    // decoding at exactly that side is what the ingest pipeline does, so query and index agree.
    ImagePipeline decoder = images.size() == encoder.inputSize() ? images : new ImagePipeline(encoder.inputSize());
    float[] chw = decoder.decodeChw(photo, sourceName);
    return encoder.encode(List.of(chw))[0];
  }

  /**
   * Listings matching a text query, by text vector, BM25 or their reciprocal-rank fusion. The query is
   * embedded on the calling thread before the call counts as a request call ({@link RequestPriority});
   * a thread an earlier call raised embeds it real-time (tens of milliseconds).
   */
  public List<SearchHit> byText(String query, TextMode mode, int k, Filter filter) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("text query is empty");
    }
    float[] vector = mode == TextMode.BM25 ? null : textEncoder.get().encode(List.of(query))[0];
    requests.beforeCall();
    return switch (mode) {
      case BM25 -> search.bm25(query, k, filter);
      case VECTOR -> search.knn(VectorField.TEXT, vector, k, filter);
      case HYBRID -> search.hybrid(query, vector, k, filter);
    };
  }
}
