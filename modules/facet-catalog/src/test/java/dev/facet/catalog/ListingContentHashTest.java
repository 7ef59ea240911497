package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingContentHashTest {
  @TempDir
  Path dir;

  private static Listing listing(double price, Map<String, Object> attributes) {
    return new Listing("R-1", "戒指", "ring", null, "ring", "platinum", "diamond", "white", "minimal", price, "CNY",
        "m-01", List.of("images/R-1.jpg"), true, attributes);
  }

  @Test
  void dependsOnFieldsAndImageBytesButNotAttributeOrder() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.write(dir.resolve("images/R-1.jpg"), new byte[] {1, 2, 3});
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", 2);
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", 2);
    ba.put("a", 1);
    String h = ListingContentHash.of(listing(10, ab), dir);
    assertThat(ListingContentHash.of(listing(10, ba), dir)).isEqualTo(h);
    assertThat(ListingContentHash.of(listing(11, ab), dir)).isNotEqualTo(h);
    Files.write(dir.resolve("images/R-1.jpg"), new byte[] {1, 2, 4});
    assertThat(ListingContentHash.of(listing(10, ab), dir)).isNotEqualTo(h);
  }

  @Test
  void missingImageIsNamed() {
    assertThatThrownBy(() -> ListingContentHash.of(listing(10, Map.of()), dir))
        .isInstanceOf(IOException.class).hasMessageContaining("images/R-1.jpg");
  }
}
