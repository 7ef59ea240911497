package dev.facet.cli;

import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.engine.Facet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet recommend}: ranked recommendations with reasons. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Recommend listings for a user (or an anonymous session), each with the reasons behind it.")
final class RecommendCommand implements Callable<Integer> {
  static final class Who {
    @Option(names = "--user", description = "User id.")
    String user;

    @Option(names = "--session", split = ",", description = "Listing ids an anonymous visitor looked at.")
    List<String> session;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  @Mixin
  QueryOptions scope;

  @Override
  public Integer call() {
    try (Facet facet = scope.open()) {
      List<Recommendation> recs = who.user != null
          ? facet.recommend(who.user, scope.k, scope.filter())
          : facet.recommendForSession(who.session, scope.k, scope.filter());
      print(facet, recs);
      return 0;
    }
  }

  static void print(Facet facet, List<Recommendation> recs) {
    int rank = 1;
    for (Recommendation r : recs) {
      String title = facet.index().get(r.itemId()).map(d -> d.listing().title()).orElse("?");
      System.out.printf(Locale.ROOT, "%2d. %-8s %8.4f  %s%n      because: %s%n", rank++, r.itemId(), r.score(), title,
          r.reasons().stream().map(Reason::text).collect(Collectors.joining("; ")));
    }
    if (recs.isEmpty()) {
      System.out.println("(no recommendations)");
    }
  }
}
