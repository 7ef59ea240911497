package dev.facet.bench;

import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.RankingMetrics;
import dev.facet.core.Recommendation;
import dev.facet.index.IndexedListing;
import dev.facet.engine.Facet;
import dev.facet.engine.MmrDiversifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the MMR trade-off by measurement: for every user with a held-out last event, the served
 * ranking (retrieval, re-rank, MMR) is computed from the history before that event for several
 * lambdas, and NDCG@10 against the held-out item is set beside the intra-list diversity of the top 10
 * (mean pairwise cosine distance of image vectors).
 */
public final class DiversityBenchmark {
  private static final int K = 10;

  private DiversityBenchmark() {}

  /** Per lambda: {@code ndcg@10}, {@code recall@10}, {@code intra_list_diversity}, {@code users}. */
  public static Map<String, Object> run(Facet facet, List<Double> lambdas) {
    if (facet.userVector("").isEmpty()) {
      throw new IllegalStateException("no trained model in " + facet.config().workDir());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (double lambda : lambdas) {
      double ndcg = 0;
      double recall = 0;
      double diversity = 0;
      int users = 0;
      for (String user : facet.usersWithHistory()) {
        List<Interaction> all = facet.history(user, Integer.MAX_VALUE);
        if (all.size() < 3) {
          continue;
        }
        Interaction heldOut = all.get(all.size() - 1);
        List<Interaction> before = all.subList(0, all.size() - 1);
        Set<String> seen = new HashSet<>();
        before.forEach(i -> seen.add(i.item()));
        if (seen.contains(heldOut.item())) {
          continue; // a repeat view says little about ranking new items
        }
        List<Recommendation> recs = facet.recommendAsOf(user, before, seen, K, Filter.NONE, lambda);
        List<String> ids = recs.stream().map(Recommendation::itemId).toList();
        ndcg += RankingMetrics.ndcg(ids, Set.of(heldOut.item()), K);
        recall += RankingMetrics.recall(ids, Set.of(heldOut.item()), K);
        List<float[]> vectors = new ArrayList<>();
        for (String id : ids) {
          Optional<IndexedListing> doc = facet.index().get(id);
          doc.map(IndexedListing::image).ifPresent(vectors::add);
        }
        diversity += MmrDiversifier.intraListDiversity(vectors);
        users++;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("users", users);
      row.put("ndcg@10", users == 0 ? 0 : ndcg / users);
      row.put("recall@10", users == 0 ? 0 : recall / users);
      row.put("intra_list_diversity", users == 0 ? 0 : diversity / users);
      out.put("lambda_" + lambda, row);
    }
    return out;
  }
}
