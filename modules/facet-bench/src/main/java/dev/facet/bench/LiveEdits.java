package dev.facet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.catalog.ListingContentHash;
import dev.facet.core.Listing;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import dev.facet.index.ListingJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The catalog updates of {@link LiveBenchmark}: a share of photo changes (the listing's image
 * becomes another catalog photo, so it must be embedded again) and otherwise price or stock edits
 * (metadata only), written as a listings JSONL batch; and the check that the index ends up holding
 * exactly what was sent.
 */
final class LiveEdits {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The listings sent, by id, and which of them changed photo. */
  final Map<String, Listing> sent = new LinkedHashMap<>();
  final Map<String, float[]> imageBefore = new LinkedHashMap<>();

  private LiveEdits() {}

  /**
   * Edits of {@code ids} (indexed listings whose images lie under {@code catalogDir}); first gives
   * each its real content hash, so an edit is judged as an operator's would be.
   */
  static LiveEdits make(CatalogIndex index, List<String> ids, List<String> photoPaths, double photoShare,
      Path catalogDir, Random random) {
    LiveEdits edits = new LiveEdits();
    for (String id : ids) {
      IndexedListing doc = index.get(id).orElseThrow(() -> new IllegalStateException("no listing " + id));
      Listing l = doc.listing();
      index.upsert(new IndexedListing(l, hash(l, catalogDir), doc.image(), doc.text(), doc.joint()));
      Listing edited;
      if (random.nextDouble() < photoShare) {
        String photo = photoPaths.get(random.nextInt(photoPaths.size()));
        while (l.images().contains(photo)) {
          photo = photoPaths.get(random.nextInt(photoPaths.size()));
        }
        edited = copy(l, l.price(), l.inStock(), List.of(photo));
        edits.imageBefore.put(id, doc.image());
      } else if (random.nextBoolean()) {
        edited = copy(l, Math.round(l.price() * (1.01 + 0.1 * random.nextDouble()) * 100) / 100.0, l.inStock(), l.images());
      } else {
        edited = copy(l, l.price(), !l.inStock(), l.images());
      }
      edits.sent.put(id, edited);
    }
    index.commit(index.lastCommitUserData());
    index.refresh();
    return edits;
  }

  static String hash(Listing l, Path catalogDir) {
    try {
      return ListingContentHash.combined(ListingContentHash.of(l, catalogDir), ListingContentHash.ofEmbeddingInputs(l, catalogDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Listing copy(Listing l, double price, boolean inStock, List<String> images) {
    return new Listing(l.id(), l.title(), l.titleEn(), l.description(), l.category(), l.material(), l.gemstone(),
        l.color(), l.style(), price, l.currency(), l.merchant(), images, inStock, l.attributes());
  }

  /** Writes the batch in the catalog's JSONL format. */
  Path write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Listing l : sent.values()) {
          w.write(JSON.writeValueAsString(json(l)));
          w.write('\n');
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode json(Listing l) {
    ObjectNode n = ListingJson.catalogFields(l);
    l.attributes().forEach(n::putPOJO);
    return n;
  }

  /**
   * What differs between the index and what was sent: each listing must be stored exactly as
   * sent, with the hash of what was sent, and a changed photo must have been embedded again.
   */
  List<String> mismatches(CatalogIndex index, Path catalogDir) {
    List<String> out = new ArrayList<>();
    for (Listing expected : sent.values()) {
      IndexedListing doc = index.get(expected.id()).orElse(null);
      if (doc == null) {
        out.add(expected.id() + ": missing");
      } else if (!doc.listing().equals(expected)) {
        out.add(expected.id() + ": stored listing differs from the one sent");
      } else if (!doc.contentHash().equals(hash(expected, catalogDir))) {
        out.add(expected.id() + ": content hash differs");
      } else if (imageBefore.containsKey(expected.id()) && Arrays.equals(doc.image(), imageBefore.get(expected.id()))) {
        out.add(expected.id() + ": photo changed but the image vector did not");
      }
    }
    return out;
  }
}
