package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.facet.core.EventType;
import dev.facet.core.FacetException;
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
  void readsTypedHeaderWithSplitAndNpyFeatures() throws Exception {
    Files.writeString(dir.resolve("baby.inter"), """
        user_id:token\titem_id:token\tx_label:token
        0\t0\t0
        0\t1\t1
        1\t1\t0
        1\t2\t2
        """);
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

  /** The form MMRec publishes its datasets in: untyped header, camelCase ids, x_label, features by item id. */
  @Test
  void readsMmrecDatasetAsPublished() throws Exception {
    Path inter = dir.resolve("baby.inter");
    Files.writeString(inter, """
        userID\titemID\trating\ttimestamp\tx_label
        0\t2\t5\t1000\t0
        0\t0\t3\t1100\t0
        0\t3\t4\t1200\t1
        1\t0\t1\t900\t0
        1\t1\t5\t950\t2
        """);
    // rows in item-id order; items appear in the .inter in another order, so a row-by-appearance
    // mapping would give item 2 the vector of item 0
    Files.write(dir.resolve("image_feat.npy"), npy(new float[][] {{0, 0}, {1, 1}, {2, 2}, {3, 3}}));
    Files.write(dir.resolve("text_feat.npy"), npy(new float[][] {{0.0f}, {0.1f}, {0.2f}, {0.3f}}));
    for (Path source : new Path[] {dir, inter}) {
      RecDataset ds = RecBoleDatasetReader.read(source);
      assertThat(ds.interactions()).hasSize(5);
      Interaction first = ds.interactions().get(0);
      assertThat(first).isEqualTo(new Interaction("0", "2", EventType.PURCHASE, java.time.Instant.ofEpochSecond(1000)));
      Map<String, ItemFeatures> byId = ds.items().stream().collect(Collectors.toMap(ItemFeatures::id, f -> f));
      assertThat(byId).hasSize(4);
      for (int k = 0; k < 4; k++) {
        assertThat(byId.get(Integer.toString(k)).image()).as("item %d", k).containsExactly(k, k);
        assertThat(byId.get(Integer.toString(k)).text()).as("item %d", k).containsExactly(k / 10f);
      }
      DataSplit split = RecBoleDatasetReader.presetSplit(source, ds).orElseThrow();
      assertThat(split.name()).isEqualTo(DataSplit.PRESET);
      assertThat(split.train()).extracting(Interaction::item).containsExactly("2", "0", "0");
      assertThat(split.valid()).extracting(Interaction::item).containsExactly("3");
      assertThat(split.test()).extracting(Interaction::item).containsExactly("1");
      // with an x_label column the dataset's own split is the default
      assertThat(RecBoleDatasetReader.split(source, ds, null, 1)).isEqualTo(split);
      assertThat(RecBoleDatasetReader.split(source, ds, "temporal", 1).name()).isEqualTo(DataSplit.TEMPORAL);
      assertThat(RecBoleDatasetReader.split(source, ds, "random", 1).name()).isEqualTo(DataSplit.RANDOM);
    }
  }

  @Test
  void itemIdWithoutAFeatureRowNamesFileLineAndField() throws Exception {
    Files.write(dir.resolve("image_feat.npy"), npy(new float[][] {{0, 0}, {1, 1}}));
    // the blank line counts: the message gives the file's line, not the row number
    Files.writeString(dir.resolve("baby.inter"), "userID\titemID\tx_label\n0\t1\t0\n\n0\t2\t2\n");
    assertThatThrownBy(() -> RecBoleDatasetReader.read(dir)).isInstanceOf(FacetException.class)
        .hasMessageContaining("baby.inter line 4 field itemID").hasMessageContaining("item id 2")
        .hasMessageContaining("image_feat.npy").hasMessageContaining("2 rows");
    Files.writeString(dir.resolve("baby.inter"), "userID\titemID\tx_label\n0\tB00X\t0\n");
    assertThatThrownBy(() -> RecBoleDatasetReader.read(dir)).isInstanceOf(FacetException.class)
        .hasMessageContaining("baby.inter line 2 field itemID").hasMessageContaining("item id B00X");
  }

  @Test
  void badSplitLabelAndMissingColumnsAreClearErrors() throws Exception {
    Path inter = dir.resolve("baby.inter");
    Files.writeString(inter, "userID\titemID\tx_label\n0\t1\t0\n0\t2\t3\n");
    RecDataset ds = RecBoleDatasetReader.read(inter);
    assertThatThrownBy(() -> RecBoleDatasetReader.presetSplit(inter, ds)).isInstanceOf(FacetException.class)
        .hasMessageContaining("baby.inter line 3 field x_label").hasMessageContaining("got 3");
    Files.writeString(inter, "uid\titemID\n0\t1\n");
    assertThatThrownBy(() -> RecBoleDatasetReader.read(inter)).isInstanceOf(FacetException.class)
        .hasMessageContaining("baby.inter").hasMessageContaining("missing column user_id (or userID)");
    assertThatThrownBy(() -> RecBoleDatasetReader.read(dir.resolve("nothing.inter")))
        .hasMessageContaining("no such dataset directory or .inter file");
  }

  @Test
  void presetSplitWithoutXLabelIsRefusedAndTheDefaultIsTemporal() throws Exception {
    Files.writeString(dir.resolve("tiny.inter"), """
        user_id:token\titem_id:token\ttimestamp:float
        1\t10\t100
        1\t11\t200
        1\t12\t300
        """);
    RecDataset ds = RecBoleDatasetReader.read(dir);
    assertThat(RecBoleDatasetReader.split(dir, ds, null, 1).name()).isEqualTo(DataSplit.TEMPORAL);
    assertThatThrownBy(() -> RecBoleDatasetReader.split(dir, ds, "preset", 1)).isInstanceOf(FacetException.class)
        .hasMessageContaining("tiny.inter").hasMessageContaining("needs an x_label column");
    assertThatThrownBy(() -> RecBoleDatasetReader.split(dir, ds, "leave-one-out", 1))
        .hasMessageContaining("split must be preset, temporal or random");
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
