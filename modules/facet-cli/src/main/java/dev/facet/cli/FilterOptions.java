package dev.facet.cli;

import dev.facet.core.Filter;
import java.util.List;
import picocli.CommandLine.Option;

/** Filter options shared by search and recommendation commands. */
final class FilterOptions {
  @Option(names = "--category", split = ",", description = "Only these categories (comma-separated).")
  List<String> categories = List.of();

  @Option(names = "--material", split = ",", description = "Only these materials.")
  List<String> materials = List.of();

  @Option(names = "--gemstone", split = ",", description = "Only these gemstones.")
  List<String> gemstones = List.of();

  @Option(names = "--merchant", split = ",", description = "Only these merchants.")
  List<String> merchants = List.of();

  @Option(names = "--min-price", description = "Lowest price.")
  Double minPrice;

  @Option(names = "--max-price", description = "Highest price.")
  Double maxPrice;

  @Option(names = "--in-stock", description = "Only listings in stock.")
  boolean inStock;

  Filter filter() {
    return new Filter(minPrice, maxPrice, java.util.Set.copyOf(categories), java.util.Set.copyOf(materials),
        java.util.Set.copyOf(gemstones), java.util.Set.copyOf(merchants), inStock);
  }
}
