package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TorchScriptImageEncoderTest {
  public static Path fixture(String name) throws Exception {
    java.net.URL url = TorchScriptImageEncoderTest.class.getResource("/torchscript/" + name);
    if ("file".equals(url.getProtocol())) {
      return Path.of(url.toURI());
    }
    // Inside a test jar (another module's tests read these fixtures): the encoder needs a real file.
    Path copy = Files.createTempDirectory("facet-fixture").resolve(name);
    try (java.io.InputStream in = url.openStream()) {
      Files.copy(in, copy);
    }
    copy.toFile().deleteOnExit();
    copy.getParent().toFile().deleteOnExit();
    return copy;
  }

  /** Same formula as fixed_input() in src/models/make-test-resnet.py. */
  static float[] fixedInput(int n) {
    float[] x = new float[3 * 224 * 224];
    int i = 0;
    for (int c = 0; c < 3; c++) {
      for (int h = 0; h < 224; h++) {
        for (int w = 0; w < 224; w++) {
          x[i++] = ((n * 31 + c * 17 + h * 7 + w * 3) % 23 - 11) / 8.0f;
        }
      }
    }
    return x;
  }

  @Test
  void matchesPythonOutputForFixedInput() throws Exception {
    JsonNode expected = new ObjectMapper().readTree(fixture("tiny-resnet-expected.json").toFile()).get("output");
    try (TorchScriptImageEncoder encoder = TorchScriptImageEncoder.open(fixture("tiny-resnet.pt"), 224, Device.CPU)) {
      assertThat(encoder.dimension()).isEqualTo(128);
      assertThat(encoder.inputSize()).isEqualTo(224);
      float[][] got = encoder.encode(List.of(fixedInput(0), fixedInput(1)));
      for (int n = 0; n < 2; n++) {
        float[] want = new float[128];
        for (int d = 0; d < 128; d++) {
          want[d] = (float) expected.get(n).get(d).asDouble();
        }
        Vectors.l2Normalize(want);
        for (int d = 0; d < 128; d++) {
          assertThat(got[n][d]).as("image %d dim %d", n, d).isCloseTo(want[d], org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
    }
  }

  @Test
  void descriptorChecksumIsVerified(@TempDir Path dir) throws Exception {
    Path model = fixture("tiny-resnet.pt");
    String sha = ModelFiles.sha256(model);
    Path good = writeDescriptor(dir, "tiny-good", model, sha);
    try (TorchScriptImageEncoder encoder = TorchScriptImageEncoder.open(ModelDescriptorReader.read(good), Device.AUTO)) {
      assertThat(encoder.encode(List.of(fixedInput(3)))[0]).hasSize(128);
    }
    String wrong = "0".repeat(64);
    Path bad = writeDescriptor(dir, "tiny-bad", model, wrong);
    assertThatThrownBy(() -> TorchScriptImageEncoder.open(ModelDescriptorReader.read(bad), Device.CPU))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining("tiny-resnet.pt")
        .hasMessageContaining("corrupt")
        .hasMessageContaining("to obtain it");
  }

  @Test
  void rejectsWrongInputLengthAndMissingFile(@TempDir Path dir) throws Exception {
    try (TorchScriptImageEncoder encoder = TorchScriptImageEncoder.open(fixture("tiny-resnet.pt"), 224, Device.CPU)) {
      assertThatThrownBy(() -> encoder.encode(List.of(new float[10])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected 3x224x224");
    }
    assertThatThrownBy(() -> TorchScriptImageEncoder.open(dir.resolve("nope.pt"), 224, Device.CPU))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining("nope.pt")
        .hasMessageContaining("export-torchvision-resnet.py");
  }

  static Path writeDescriptor(Path dir, String id, Path model, String sha) throws Exception {
    Path file = dir.resolve(id + ".json");
    Files.writeString(file, """
        {"id": "%s", "kind": "image", "engine": "PyTorch", "format": "torchscript",
         "source": "file", "weights": "%s", "sha256": "%s",
         "input": {"size": 224, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
         "output": {"dim": 128, "pooling": "global-average", "normalization": "l2"},
         "licence": "test fixture", "obtain": "run src/models/make-test-resnet.py"}
        """.formatted(id, model.toString().replace("\\", "/"), sha));
    return file;
  }
}
