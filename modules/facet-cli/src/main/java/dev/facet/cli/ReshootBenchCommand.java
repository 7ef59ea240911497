package dev.facet.cli;

import dev.facet.catalog.CatalogReader;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.SearchHit;
import dev.facet.embed.CatalogReshootEncoders;
import dev.facet.embed.NeighbourAgreement;
import dev.facet.embed.PhotoFolderReshoot;
import dev.facet.engine.Facet;
import dev.facet.index.IndexedListing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facet bench reshoot}: photo search measured with a new photo of each item. On an ingested
 * generated catalog ({@code --work}), every listing gets a re-rendered photo (another pose, light
 * and background), searched through the index; on a folder of real photographs ({@code --photos}),
 * every photo gets a re-shoot (crop, rotation, light) searched among the folder's photos. Either way
 * the figures come for the default image encoder at the top level and for every image encoder side
 * by side.
 */
@Command(name = "reshoot", mixinStandardHelpOptions = true,
    description = "Photo search with a re-shot photo of each listing (generated catalogs) or of each photo of a folder"
        + " (--photos): share found first and in the top k, per image encoder.")
final class ReshootBenchCommand implements Callable<Integer> {
  /** Neighbours counted by the catalog's category and material agreement. */
  static final int AGREEMENT_K = 10;

  @Option(names = {"-k", "--k"}, description = "Top k. Default: ${DEFAULT-VALUE}", defaultValue = "5")
  int k;

  @Option(names = "--variant-seed", description = "Seed of the new photos. Default: ${DEFAULT-VALUE}", defaultValue = "991")
  long variantSeed;

  @Option(names = "--photos", paramLabel = "DIR", description = "A folder of real photographs to re-shoot instead of an ingested catalog.")
  Path photos;

  @Option(names = "--encoders", split = ",", paramLabel = "ID",
      description = "Image encoders measured side by side (descriptor ids). Default: the default encoder and every other image "
          + "descriptor in the models directory; the first is the one reported at the top level.")
  List<String> encoders;

  @Option(names = "--json", description = "Where to write the JSON.")
  Path json;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws IOException {
    Map<String, Object> out = photos != null ? photoFolder() : catalog();
    BenchCommand.writeJson(out, json);
    return 0;
  }

  private Map<String, Object> photoFolder() {
    ImageModelChoice models = new ImageModelChoice(common);
    return PhotoFolderReshoot.run(photos, variantSeed, k, models.names(encoders), models::open);
  }

  private Map<String, Object> catalog() {
    try (Facet facet = common.open(null)) {
      List<String> ids = new ArrayList<>(facet.index().ids());
      ids.sort(null);
      List<Listing> listings = new ArrayList<>();
      List<byte[]> shots = new ArrayList<>();
      int[] hits = searchReshoots(facet, ids, listings, shots);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("listings", ids.size());
      out.put("k", k);
      out.put("hit_rate_top_k", ids.isEmpty() ? 0 : (double) hits[1] / ids.size());
      out.put("hit_rate_top_1", ids.isEmpty() ? 0 : (double) hits[0] / ids.size());
      if (ids.size() > AGREEMENT_K) {
        List<float[]> vectors = ids.stream().map(id -> facet.index().get(id).map(IndexedListing::image).orElseThrow()).toList();
        NeighbourAgreement agreement = NeighbourAgreement.measure(listings, vectors, AGREEMENT_K);
        out.put("category_agreement@" + AGREEMENT_K, agreement.category());
        out.put("material_agreement@" + AGREEMENT_K, agreement.material());
        Path catalogDir = facet.ingestor().lastCatalog()
            .orElseThrow(() -> new IllegalArgumentException("the work directory records no ingested catalog"));
        ImageModelChoice models = new ImageModelChoice(common);
        List<byte[]> originals = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(catalogDir, l.primaryImage()));
        out.put("encoders", CatalogReshootEncoders.run(listings, originals, shots, k, AGREEMENT_K, models.names(encoders), models::open));
      }
      return out;
    }
  }

  /** Searches every listing's re-shoot through the index; fills listings and shots; returns {top 1, top k} counts. */
  private int[] searchReshoots(Facet facet, List<String> ids, List<Listing> listings, List<byte[]> shots) {
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    int[] hits = new int[2];
    try (ConsoleProgress progress = new ConsoleProgress("reshoot")) {
      progress.start(ids.size());
      int done = 0;
      for (String id : ids) {
        Listing listing = facet.index().get(id).orElseThrow().listing();
        long shot = variantSeed * 1_000_003L + id.hashCode();
        if (SampleCatalogGenerator.isTrainingVariant(shot)) {
          // The default encoder may have been trained on exactly this shot: the hit rate would not be held out.
          throw new IllegalArgumentException("--variant-seed " + variantSeed + " gives listing " + id
              + " a shot from the encoder's training band; pick another seed");
        }
        byte[] photo = SampleCatalogGenerator.jpeg(generator.renderPhoto(listing, shot));
        listings.add(listing);
        shots.add(photo);
        List<SearchHit> found = facet.similar().byImage(photo, id + "-reshoot.jpg", k, Filter.NONE);
        for (int i = 0; i < found.size(); i++) {
          if (found.get(i).id().equals(id)) {
            hits[1]++;
            hits[0] += i == 0 ? 1 : 0;
          }
        }
        progress.advanceTo(++done);
      }
    }
    return hits;
  }
}
