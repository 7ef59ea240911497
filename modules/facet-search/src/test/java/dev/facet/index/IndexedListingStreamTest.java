package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Listing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexedListingStreamTest {
  private static IndexedListing doc(String id, float[] joint) {
    Listing l = new Listing(id, "戒指 " + "很长的描述".repeat(20_000), null, null, "ring", "gold", null, null, null, 99.5,
        "CNY", "m1", List.of("images/" + id + ".jpg"), true, Map.of());
    return new IndexedListing(l, "h-" + id, new float[] {0.6f, 0.8f}, new float[] {1f}, joint);
  }

  @Test
  void listingsAndVectorsComeBackAsWrittenUpToTheEndMarker() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      IndexedListingStream.write(out, doc("a", null));
      IndexedListingStream.write(out, doc("b", new float[] {0.5f, -0.5f}));
      IndexedListingStream.end(out);
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(IndexedListingStream.read(in)).isEqualTo(doc("a", null));
    assertThat(IndexedListingStream.read(in)).isEqualTo(doc("b", new float[] {0.5f, -0.5f}));
    assertThat(IndexedListingStream.read(in)).isNull();
  }

  @Test
  void aStreamCutShortIsAnErrorNotAnEmptyLoad() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      IndexedListingStream.write(out, doc("a", null));
    }
    byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(cut));
    assertThatThrownBy(() -> IndexedListingStream.read(in)).isInstanceOf(EOFException.class);
    DataInputStream none = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    IndexedListingStream.read(none);
    assertThatThrownBy(() -> IndexedListingStream.read(none)).isInstanceOf(EOFException.class);
  }
}
