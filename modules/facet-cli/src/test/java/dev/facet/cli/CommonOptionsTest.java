package dev.facet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.embed.EmbedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommonOptionsTest {
  @TempDir
  Path dir;

  private static EmbedSettings embed(String... args) {
    SearchCommand command = new SearchCommand();
    new CommandLine(command).parseArgs(args);
    return command.scope.common.embed();
  }

  @Test
  void withoutImageModelTheDefaultsApply() {
    assertThat(embed("ring")).isEqualTo(EmbedSettings.defaults());
  }

  @Test
  void aBareNameIsADescriptorId() {
    EmbedSettings settings = embed("ring", "--image-model", "resnet50-torchvision");
    assertThat(settings.imageModelId()).isEqualTo("resnet50-torchvision");
    assertThat(settings.imageModelFile()).isNull();
  }

  @Test
  void aFileOrAPathIsATorchScriptModel() throws Exception {
    Path file = Files.writeString(dir.resolve("model"), "not read here");
    assertThat(embed("ring", "--image-model", file.toString()).imageModelFile()).isEqualTo(file.toAbsolutePath());
    // Missing files still count as files when they look like one, so the encoder can say how to export it.
    assertThat(embed("ring", "--image-model", "resnet18.pt").imageModelFile()).isEqualTo(Path.of("resnet18.pt").toAbsolutePath());
  }

  @Test
  void imageLimitsAndRootsBecomeTheJvmWideProperties() {
    SearchCommand command = new SearchCommand();
    new CommandLine(command).parseArgs("ring", "--max-image-pixels", "1000000", "--image-root", "/srv/a", "--image-root", "/srv/b");
    try {
      command.scope.common.applyImageOptions();
      assertThat(dev.facet.catalog.image.ImageLimits.fromSystemProperties().maxPixels()).isEqualTo(1_000_000L);
      assertThat(System.getProperty(dev.facet.catalog.CatalogImagePaths.ROOTS_PROPERTY))
          .isEqualTo("/srv/a" + java.io.File.pathSeparator + "/srv/b");
    } finally {
      System.clearProperty(dev.facet.catalog.image.ImageLimits.MAX_PIXELS_PROPERTY);
      System.clearProperty(dev.facet.catalog.CatalogImagePaths.ROOTS_PROPERTY);
    }
  }
}
