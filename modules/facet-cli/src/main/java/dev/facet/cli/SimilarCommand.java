package dev.facet.cli;

import dev.facet.core.SearchHit;
import dev.facet.engine.Facet;
import dev.facet.engine.SimilarItems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet similar}: listings that look like a listing or a photo. */
@Command(name = "similar", mixinStandardHelpOptions = true,
    description = "Find visually (or textually) similar listings, by listing id or by photo.")
final class SimilarCommand implements Callable<Integer> {
  static final class Query {
    @Option(names = "--item", description = "Listing id to start from.")
    String item;

    @Option(names = "--photo", description = "Photo file (JPEG/PNG/WebP) to search with.")
    Path photo;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  @Option(names = "--mode", description = "IMAGE, TEXT or FUSED (by listing only). Default: ${DEFAULT-VALUE}", defaultValue = "IMAGE")
  SimilarItems.Mode mode;

  @Mixin
  QueryOptions scope;

  @Override
  public Integer call() throws IOException {
    try (Facet facet = scope.open()) {
      List<SearchHit> hits = query.item != null
          ? facet.similar().byItem(query.item, mode, scope.k, scope.filter())
          : facet.similar().byImage(Files.readAllBytes(query.photo), query.photo.toString(), scope.k, scope.filter());
      HitTable.print(hits);
      return 0;
    }
  }
}
