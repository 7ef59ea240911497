package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListingJsonTest {
  @Test
  void randomListingsRoundTrip() {
    Random rnd = new Random(11);
    for (int i = 0; i < 200; i++) {
      Listing l = TestListings.randomListing(rnd, i);
      assertThat(ListingJson.read(ListingJson.write(l))).isEqualTo(l);
    }
  }

  @Test
  void usesCatalogFieldNames() {
    Listing l = TestListings.listing("R-1", "戒指", "ring", "18k_gold", "diamond", 10);
    assertThat(ListingJson.write(l)).contains("\"title_en\":\"ring\"", "\"in_stock\":true", "\"price\":10.0");
  }

  @Test
  void corruptJsonIsReported() {
    assertThatThrownBy(() -> ListingJson.read("{\"id\":\"x\"}")).isInstanceOf(FacetException.class)
        .hasMessageContaining("corrupt");
  }
}
