package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {
  private static Listing listing(String category, String material, double price, boolean inStock) {
    return new Listing("R-1", "戒指", null, null, category, material, "diamond", "yellow", "minimal",
        price, "CNY", "m-01", List.of("images/R-1.jpg"), inStock, Map.of());
  }

  @Test
  void emptyFilterAcceptsEverything() {
    assertThat(Filter.NONE.isEmpty()).isTrue();
    assertThat(Filter.NONE.matches(listing("ring", "18k_gold", 10, false))).isTrue();
  }

  @Test
  void eachRestrictionIsApplied() {
    Filter f = Filter.builder().category("ring").material("platinum", "18k_gold").minPrice(100.0).maxPrice(500.0)
        .inStockOnly(true).build();
    assertThat(f.matches(listing("ring", "18k_gold", 300, true))).isTrue();
    assertThat(f.matches(listing("necklace", "18k_gold", 300, true))).isFalse();
    assertThat(f.matches(listing("ring", "925_silver", 300, true))).isFalse();
    assertThat(f.matches(listing("ring", "18k_gold", 99, true))).isFalse();
    assertThat(f.matches(listing("ring", "18k_gold", 501, true))).isFalse();
    assertThat(f.matches(listing("ring", "18k_gold", 300, false))).isFalse();
  }

  @Test
  void builderAcceptsRepeatedValues() {
    Filter f = Filter.builder().material("platinum", "platinum").material("platinum").build();
    assertThat(f.materials()).containsExactly("platinum");
  }

  @Test
  void rejectsInvertedPriceRange() {
    assertThatThrownBy(() -> Filter.builder().minPrice(10.0).maxPrice(5.0).build())
        .hasMessageContaining("above maxPrice");
  }

  @Test
  void listingChecksItsInvariants() {
    assertThatThrownBy(() -> listing("ring", "x", Double.NaN, true)).hasMessageContaining("price");
    assertThatThrownBy(() -> new Listing("R-2", "t", null, null, "ring", null, null, null, null, 1, null, null,
        List.of(), true, null)).hasMessageContaining("image");
  }

  @Test
  void eventTypesParseBothVocabularies() {
    assertThat(EventType.parse("buy")).isEqualTo(EventType.PURCHASE);
    assertThat(EventType.parse("PV")).isEqualTo(EventType.VIEW);
    assertThat(EventType.parse("favorite")).isEqualTo(EventType.FAVORITE);
    assertThatThrownBy(() -> EventType.parse("like")).hasMessageContaining("'like'");
  }
}
