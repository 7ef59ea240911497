package dev.facet.cli;

import dev.facet.engine.Facet;
import dev.facet.engine.SimilarItems;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facet search}: text search over the catalog. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Text search: BM25, text vectors, or their hybrid (reciprocal-rank fusion).")
final class SearchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Query text (Chinese or English).")
  String text;

  @Option(names = "--mode", description = "BM25, VECTOR or HYBRID. Default: ${DEFAULT-VALUE}", defaultValue = "HYBRID")
  SimilarItems.TextMode mode;

  @Mixin
  QueryOptions scope;

  @Override
  public Integer call() {
    try (Facet facet = scope.open()) {
      HitTable.print(facet.similar().byText(text, mode, scope.k, scope.filter()));
      return 0;
    }
  }
}
