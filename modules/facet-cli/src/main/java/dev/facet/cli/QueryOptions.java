package dev.facet.cli;

import dev.facet.core.Filter;
import dev.facet.engine.Facet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the query commands (search, similar, recommend) share: the result filter and where Facet's files are. */
final class QueryOptions {
  @Option(names = {"-k", "--k"}, description = "Number of results. Default: ${DEFAULT-VALUE}", defaultValue = "10")
  int k;

  @Mixin
  FilterOptions filters;

  @Mixin
  CommonOptions common;

  Facet open() {
    return common.open(null);
  }

  Filter filter() {
    return filters.filter();
  }
}
