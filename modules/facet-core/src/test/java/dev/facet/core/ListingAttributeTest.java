package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingAttributeTest {
  @Test
  void eachAttributeReadsItsOwnField() {
    Listing l = new Listing("L-1", "t", null, null, "ring", "gold", "ruby", "red", "vintage", 10, "CNY", "m1",
        List.of("a.jpg"), true, Map.of());
    assertThat(ListingAttribute.CATEGORY.of(l)).isEqualTo("ring");
    assertThat(ListingAttribute.MATERIAL.of(l)).isEqualTo("gold");
    assertThat(ListingAttribute.GEMSTONE.of(l)).isEqualTo("ruby");
    assertThat(ListingAttribute.COLOR.of(l)).isEqualTo("red");
    assertThat(ListingAttribute.STYLE.of(l)).isEqualTo("vintage");
    assertThat(ListingAttribute.MERCHANT.of(l)).isEqualTo("m1");
  }

  @Test
  void anUnknownNameIsAnErrorNotSomeOtherAttribute() {
    assertThat(ListingAttribute.ofKey("gemstone")).isEqualTo(ListingAttribute.GEMSTONE);
    assertThatThrownBy(() -> ListingAttribute.ofKey("colour")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'colour'").hasMessageContaining("color");
  }
}
