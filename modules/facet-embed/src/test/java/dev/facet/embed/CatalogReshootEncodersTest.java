package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogReshootEncodersTest {
  private static Listing listing(int i, String category, String gemstone) {
    return new Listing("L-" + i, "t", null, null, category, "silver", gemstone, null, null, 1, "CNY", null, List.of("x.jpg"), true,
        Map.of());
  }

  @Test
  void missesAreCountedPerCategoryAndGemstoneMostFirst() {
    List<Listing> listings = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    // 4 pearl necklaces, 3 missed (rank 5 is the first miss at k = 5); 3 diamond rings, 1 missed;
    // 2 jade pendants, both found.
    int[][] groups = {{5, 9, 40, 4}, {0, 12, 1}, {0, 4}};
    String[][] names = {{"necklace", "pearl"}, {"ring", "diamond"}, {"pendant", "jade"}};
    for (int g = 0; g < groups.length; g++) {
      for (int rank : groups[g]) {
        listings.add(listing(listings.size(), names[g][0], names[g][1]));
        ranks.add(rank);
      }
    }
    int[] rankArray = ranks.stream().mapToInt(Integer::intValue).toArray();

    Map<String, Map<String, Integer>> misses = CatalogReshootEncoders.missesByGroup(listings, rankArray, 5);

    assertThat(misses.keySet()).containsExactly("necklace/pearl", "ring/diamond");
    assertThat(misses.get("necklace/pearl")).containsExactly(Map.entry("listings", 4), Map.entry("misses", 3));
    assertThat(misses.get("ring/diamond")).containsExactly(Map.entry("listings", 3), Map.entry("misses", 1));
    assertThat(CatalogReshootEncoders.missesByGroup(listings, rankArray, 50)).isEmpty();
    assertThatThrownBy(() -> CatalogReshootEncoders.missesByGroup(listings, new int[3], 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
