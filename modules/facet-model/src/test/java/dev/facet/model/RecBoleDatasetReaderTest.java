package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecBoleDatasetReaderTest {
  @TempDir Path dir;

  @Test
  void readsAtomicFilesWithTypedHeaders() throws Exception {
    Files.writeString(dir.resolve("tiny.inter"), """
        user_id:token\titem_id:token\trating:float\ttimestamp:float
        1\t10\t5\t100
        1\t11\t2\t200
        2\t10\t4\t150
        2\t12\t3\t160
        """);
    Files.writeString(dir.resolve("tiny.item"), """
        item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq
        10\tToy Story\t1995\tAnimation Comedy
        11\tHeat\t1995\tAction
        12\tAlien\t1979\tHorror Sci-Fi
        13\tNever Rated\t2001\tDrama
        """);
    Files.writeString(dir.resolve("tiny.user"), """
        user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token
        1\t24\tM\ttechnician\t85711
        2\t53\tF\tother\t94043
        """);
    RecDataset ds = RecBoleDatasetReader.read(dir);
    assertThat(ds.items()).hasSize(4);
    assertThat(ds.interactions()).hasSize(4);
    Interaction first = ds.interactions().get(0);
    assertThat(first.user()).isEqualTo("1");
    assertThat(first.item()).isEqualTo("10");
    assertThat(first.event()).isEqualTo(EventType.PURCHASE);
    assertThat(first.ts().getEpochSecond()).isEqualTo(100);
    assertThat(ds.interactions().stream().map(Interaction::event).collect(Collectors.toList()))
        .containsExactly(EventType.PURCHASE, EventType.VIEW, EventType.CART, EventType.CLICK);
    ItemFeatures alien = ds.items().stream().filter(f -> f.id().equals("12")).findFirst().orElseThrow();
    assertThat(alien.attributes()).containsEntry("class", "Horror|Sci-Fi").containsEntry("release_year", "1970s");
    assertThat(alien.image()).isNull();
    assertThat(alien.text()).hasSize(RecBoleDatasetReader.TEXT_HASH_DIM);
    double norm = 0;
    for (float x : alien.text()) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, within(1e-5));
    assertThat(ds.users().get("1").ageBand()).isEqualTo("18-24");
    assertThat(ds.users().get("2").gender()).isEqualTo("f");
    assertThat(RecBoleDatasetReader.presetSplit(dir, ds)).isEmpty();
    // schema: genres become two tokens of one key, weights 1/2 each
    Schema schema = Schema.of(ds);
    float[] bag = schema.attributeBag(alien.attributes());
    assertThat(bag[schema.attrTokens.indexOf("class=Horror")]).isEqualTo(0.5f);
    assertThat(bag[schema.attrTokens.indexOf("class=Sci-Fi")]).isEqualTo(0.5f);
    assertThat(bag[schema.attrTokens.indexOf("release_year=1970s")]).isEqualTo(1f);
  }

  @Test
  void readsMmrecSplitAndNpyFeatures() throws Exception {
    Files.writeString(dir.resolve("baby.inter"), """
        userID:token\titemID:token\tx_label:token
        0\t0\t0
        0\t1\t1
        1\t1\t0
        1\t2\t2
        """.replace("userID", "user_id").replace("itemID", "item_id"));
    Files.write(dir.resolve("image_feat.npy"), npy(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
    Files.write(dir.resolve("text_feat.npy"), npy(new float[][] {{0.5f}, {0.25f}, {0.125f}}));
    RecDataset ds = RecBoleDatasetReader.read(dir);
    Map<String, ItemFeatures> byId = ds.items().stream().collect(Collectors.toMap(ItemFeatures::id, f -> f));
    assertThat(byId.get("2").image()).containsExactly(5f, 6f);
    assertThat(byId.get("1").text()).containsExactly(0.25f);
    DataSplit split = RecBoleDatasetReader.presetSplit(dir, ds).orElseThrow();
    assertThat(split.train()).hasSize(2);
    assertThat(split.valid()).extracting(Interaction::item).containsExactly("1");
    assertThat(split.test()).extracting(Interaction::item).containsExactly("2");
  }

  @Test
  void rejectsNonNumpyBytes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NpyReader.parse("hello world!".getBytes(), "x.npy"))
        .hasMessageContaining("not a .npy");
  }

  @Test
  void readsMl100kWhenPresent() {
    Path ml = Path.of(System.getProperty("facet.project.root", "../.."), "..", "shared", "datasets", "ml-100k");
    Assumptions.assumeTrue(Files.exists(ml), "skipped: " + ml + " is absent (real-data check of the reader)");
    RecDataset ds = RecBoleDatasetReader.read(ml);
    assertThat(ds.interactions()).hasSize(100_000);
    assertThat(ds.items()).hasSize(1682);
    assertThat(ds.users()).hasSize(943);
    assertThat(ds.imageDim()).isZero();
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    assertThat(split.test()).hasSize(943);
    assertThat(split.valid()).hasSize(943);
  }

  static byte[] npy(float[][] m) {
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.length + ", " + m[0].length + "), }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + m.length * m[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (float[] row : m) {
      for (float x : row) {
        b.putFloat(x);
      }
    }
    return b.array();
  }
}
