package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BertTextEncoderTest {
  private static BertTextEncoder encoder;

  @BeforeAll
  static void open() {
    encoder = BertTextEncoder.open(TestModels.modelsDir(), TestModels.cacheDir());
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void crossLingualMeaningBeatsUnrelatedProduct() {
    float[][] v = encoder.encode(List.of("18K金钻石戒指", "diamond ring in 18K gold", "珍珠项链"));
    double sameItem = Vectors.dot(v[0], v[1]);
    double otherItem = Vectors.dot(v[0], v[2]);
    assertThat(sameItem).isGreaterThan(otherItem);
  }

  @Test
  void vectorsHaveDeclaredDimensionAndUnitNorm() {
    assertThat(encoder.dimension()).isEqualTo(512);
    for (float[] v : encoder.encode(List.of("玫瑰金 项链", "silver earrings", "x"))) {
      assertThat(v).hasSize(512);
      assertThat(Vectors.dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void lowercasesBeforeTokenizing() {
    Tokens upper = encoder.tokenize("18K");
    Tokens lower = encoder.tokenize("18k");
    assertThat(upper.ids()).containsExactly(lower.ids());
    assertThat(upper.ids()).doesNotContain(100L); // [UNK]
  }

  @Test
  void truncatesLongTextsAtMaxTokens() {
    String longText = "钻石".repeat(400);
    assertThat(encoder.tokenize(longText).length()).isEqualTo(256);
    assertThat(encoder.encode(List.of(longText))[0]).hasSize(512);
  }

  @Test
  void batchedResultEqualsOneByOneAndIsDeterministic() {
    Random random = new Random(0xFACE7L);
    String[] words = {"金", "银", "钻石", "珍珠", "戒指", "项链", "耳环", "rose", "gold", "pendant", "minimal", "18K"};
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 37; i++) { // more than MAX_BATCH: exercises length-sorted batching
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(words[random.nextInt(words.length)]).append(' ');
      }
      texts.add(sb.toString());
    }
    float[][] batched = encoder.encode(texts);
    float[][] again = encoder.encode(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = encoder.encode(List.of(texts.get(i)))[0];
      // Padding inside a batch must not change a text's vector beyond float noise.
      assertThat(Vectors.dot(batched[i], single)).isGreaterThan(0.9999);
      assertThat(again[i]).containsExactly(batched[i]);
    }
  }
}
