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
import dev.facet.index.VectorField;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Mixin
  BenchOptions bench;

  @Override
  public Integer call() throws IOException {
    Map<String, Object> out = photos != null ? photoFolder() : catalog();
    bench.write(out);
    return 0;
  }

  private Map<String, Object> photoFolder() {
    ImageModelChoice models = new ImageModelChoice(bench.common);
    return PhotoFolderReshoot.run(photos, variantSeed, k, models.names(encoders), models::open);
  }

  private Map<String, Object> catalog() {
    try (Facet facet = bench.common.open(null)) {
      List<String> ids = new ArrayList<>(facet.index().ids());
      ids.sort(null);
      List<Listing> listings = ids.stream().map(id -> facet.index().get(id).orElseThrow().listing()).toList();
      List<byte[]> shots = renderReshoots(listings);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("listings", ids.size());
      out.put("k", k);
      Map<String, List<float[]>> shotVectors = new LinkedHashMap<>();
      Map<String, Object> perEncoder = null;
      ImageModelChoice models = new ImageModelChoice(bench.common);
      if (ids.size() > AGREEMENT_K) {
        List<float[]> vectors = ids.stream().map(id -> facet.index().get(id).map(IndexedListing::image).orElseThrow()).toList();
        NeighbourAgreement agreement = NeighbourAgreement.measure(listings, vectors, AGREEMENT_K);
        out.put("category_agreement@" + AGREEMENT_K, agreement.category());
        out.put("material_agreement@" + AGREEMENT_K, agreement.material());
        Path catalogDir = facet.ingestor().lastCatalog()
            .orElseThrow(() -> new IllegalArgumentException("the work directory records no ingested catalog"));
        List<byte[]> originals = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(catalogDir, l.primaryImage()));
        perEncoder = CatalogReshootEncoders.run(listings, originals, shots, k, AGREEMENT_K, models.names(encoders), models::open, shotVectors);
      }
      int[] hits = searchIndex(facet, listings, shots, shotVectors.get(models.names(null).getFirst()));
      out.put("hit_rate_top_k", ids.isEmpty() ? 0 : (double) hits[1] / ids.size());
      out.put("hit_rate_top_1", ids.isEmpty() ? 0 : (double) hits[0] / ids.size());
      if (perEncoder != null) {
        out.put("encoders", perEncoder);
      }
      return out;
    }
  }

  /** A held-out re-rendered photo of every listing. */
  private List<byte[]> renderReshoots(List<Listing> listings) {
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    List<byte[]> shots = new ArrayList<>(listings.size());
    for (Listing listing : listings) {
      long shot = SampleCatalogGenerator.benchVariant(variantSeed, listing.id());
      if (SampleCatalogGenerator.isTrainingVariant(shot)) {
        // The default encoder may have been trained on exactly this shot: the hit rate would not be held out.
        throw new IllegalArgumentException("--variant-seed " + variantSeed + " gives listing " + listing.id()
            + " a shot from the encoder's training band; pick another seed");
      }
      shots.add(SampleCatalogGenerator.jpeg(generator.renderPhoto(listing, shot)));
    }
    return shots;
  }

  /**
   * Searches the index's image vectors with every re-shoot; returns {top 1, top k} counts. The
   * configured encoder's re-shoot vectors from the per-encoder run are reused when there are some
   * (they are what photo search computes: the same decoding and encoder); otherwise each photo goes
   * through photo search itself.
   */
  private int[] searchIndex(Facet facet, List<Listing> listings, List<byte[]> shots, List<float[]> shotVectors) {
    int[] hits = new int[2];
    try (ConsoleProgress progress = new ConsoleProgress("reshoot")) {
      progress.start(listings.size());
      for (int i = 0; i < listings.size(); i++) {
        String id = listings.get(i).id();
        List<SearchHit> found = shotVectors != null
            ? facet.index().knn(VectorField.IMAGE, shotVectors.get(i), k, Filter.NONE, Set.of())
            : facet.similar().byImage(shots.get(i), id + "-reshoot.jpg", k, Filter.NONE);
        for (int r = 0; r < found.size(); r++) {
          if (found.get(r).id().equals(id)) {
            hits[1]++;
            hits[0] += r == 0 ? 1 : 0;
          }
        }
        progress.advanceTo(i + 1);
      }
    }
    return hits;
  }
}
