package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript (PyTorch engine) path of {@link BertTextEncoder}, on a tiny BERT-shaped module. */
class TorchScriptTextEncoderTest {
  @Test
  void paddedBatchMatchesPythonPerSequenceOutputs(@TempDir Path dir) throws Exception {
    Path model = TorchScriptImageEncoderTest.fixture("tiny-bert.pt");
    JsonNode expected = new ObjectMapper().readTree(TorchScriptImageEncoderTest.fixture("tiny-bert-expected.json").toFile());
    ModelDescriptor bge = ModelDescriptorReader.find(TestModels.modelsDir(), BertTextEncoder.DEFAULT_ID);
    Path tokenizer = ModelFiles.tokenizer(bge, TestModels.cacheDir());
    Path descriptor = dir.resolve("tiny-bert.json");
    Files.writeString(descriptor, """
        {"id": "tiny-bert", "kind": "text", "engine": "PyTorch", "format": "torchscript", "source": "file",
         "weights": "%s", "sha256": "%s", "tokenizer": "%s",
         "input": {"maxTokens": 32, "lowercase": true}, "output": {"dim": 16}}
        """.formatted(model, ModelFiles.sha256(model), tokenizer));
    try (BertTextEncoder encoder = BertTextEncoder.open(ModelDescriptorReader.read(descriptor), TestModels.cacheDir(), Device.CPU)) {
      List<Tokens> batch = new ArrayList<>();
      for (JsonNode seq : expected.get("sequences")) {
        long[] ids = new long[seq.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = seq.get(i).asLong();
        }
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        batch.add(new Tokens(ids, mask, new long[ids.length]));
      }
      // Lengths 7, 3 and 11 in one batch: the short ones are padded, and only the mask keeps the
      // padding out of both the model's context mixing and the pooling.
      float[][] got = encoder.encodeTokens(batch);
      for (int s = 0; s < batch.size(); s++) {
        float[] want = new float[16];
        for (int d = 0; d < 16; d++) {
          want[d] = (float) expected.get("pooled").get(s).get(d).asDouble();
        }
        Vectors.l2Normalize(want);
        for (int d = 0; d < 16; d++) {
          assertThat(got[s][d]).as("sequence %d dim %d", s, d).isCloseTo(want[d], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      float[] v = encoder.encode(List.of("18K金钻石戒指"))[0];
      assertThat(v).hasSize(16);
      assertThat(Vectors.dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(encoder.tokenize("钻".repeat(100)).length()).isEqualTo(32);
    }
  }
}
