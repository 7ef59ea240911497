package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourAgreementTest {
  private static Listing listing(int i, String category, String material) {
    return new Listing("L-" + i, "t", null, null, category, material, null, null, null, 1, "CNY", null, List.of("x.jpg"), true, Map.of());
  }

  @Test
  void clusteredVectorsAgreeAndRandomOnesDoNot() {
    Random random = new Random(0xBEEFL);
    String[] categories = {"ring", "necklace", "earrings", "bracelet"};
    String[] materials = {"gold", "silver"};
    List<Listing> listings = new ArrayList<>();
    List<float[]> clustered = new ArrayList<>();
    List<float[]> noise = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int c = random.nextInt(4);
      int m = random.nextInt(2);
      listings.add(listing(i, categories[c], materials[m]));
      float[] v = new float[16];
      v[c] = 1; // category axis dominates, material second
      v[4 + m] = 0.5f;
      for (int d = 0; d < 16; d++) {
        v[d] += (float) (0.05 * random.nextGaussian());
      }
      clustered.add(Vectors.l2Normalize(v));
      float[] r = new float[16];
      for (int d = 0; d < 16; d++) {
        r[d] = (float) random.nextGaussian();
      }
      noise.add(Vectors.l2Normalize(r));
    }
    NeighbourAgreement good = NeighbourAgreement.measure(listings, clustered, 10);
    assertThat(good.category()).isGreaterThan(0.99);
    assertThat(good.material()).isGreaterThan(0.95);
    NeighbourAgreement chance = NeighbourAgreement.measure(listings, noise, 10);
    assertThat(chance.category()).isBetween(0.1, 0.4);
    assertThat(chance.material()).isBetween(0.35, 0.65);
    assertThatThrownBy(() -> NeighbourAgreement.measure(listings.subList(0, 5), clustered.subList(0, 5), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
