package dev.facet.cli;

import dev.facet.core.SearchHit;
import java.util.List;
import java.util.Locale;

/** Prints search hits as an aligned table. */
final class HitTable {
  private HitTable() {}

  static void print(List<SearchHit> hits) {
    if (hits.isEmpty()) {
      System.out.println("(no results)");
      return;
    }
    System.out.printf(Locale.ROOT, "%-4s %-9s %8s %10s  %-28s %s%n", "#", "id", "score", "price", "image", "title");
    int rank = 1;
    for (SearchHit h : hits) {
      System.out.printf(Locale.ROOT, "%-4d %-9s %8.4f %10.2f  %-28s %s%n", rank++, h.id(), h.score(), h.price(), h.imagePath(), h.title());
    }
  }
}
