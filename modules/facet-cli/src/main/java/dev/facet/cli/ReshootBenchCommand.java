package dev.facet.cli;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.SearchHit;
import dev.facet.engine.Facet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facet bench reshoot}: for every listing of a generated catalog, a new photo of the same
 * product (another pose, light and background) is searched by image; the hit rate is how often the
 * listing itself comes back in the top k.
 */
@Command(name = "reshoot", mixinStandardHelpOptions = true,
    description = "Photo search with a re-rendered photo of each listing (generated catalogs): share found in the top k.")
final class ReshootBenchCommand implements Callable<Integer> {
  @Option(names = {"-k", "--k"}, description = "Top k. Default: ${DEFAULT-VALUE}", defaultValue = "5")
  int k;

  @Option(names = "--variant-seed", description = "Seed of the new photos. Default: ${DEFAULT-VALUE}", defaultValue = "991")
  long variantSeed;

  @Mixin

  BenchOptions bench;

  @Override
  public Integer call() throws IOException {
    try (Facet facet = bench.common.open(null)) {
      SampleCatalogGenerator generator = new SampleCatalogGenerator();
      List<String> ids = new ArrayList<>(facet.index().ids());
      ids.sort(null);
      int top1 = 0;
      int topK = 0;
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
          List<SearchHit> hits = facet.similar().byImage(photo, id + "-reshoot.jpg", k, Filter.NONE);
          for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i).id().equals(id)) {
              topK++;
              top1 += i == 0 ? 1 : 0;
            }
          }
          progress.advanceTo(++done);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("listings", ids.size());
      out.put("k", k);
      out.put("hit_rate_top_k", ids.isEmpty() ? 0 : (double) topK / ids.size());
      out.put("hit_rate_top_1", ids.isEmpty() ? 0 : (double) top1 / ids.size());
      bench.write(out);
    }
    return 0;
  }
}
