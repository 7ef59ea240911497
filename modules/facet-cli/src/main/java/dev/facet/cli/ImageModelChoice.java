package dev.facet.cli;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.ImageEncoders;
import dev.facet.embed.ModelDescriptorReader;
import dev.facet.embed.TorchScriptImageEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image encoders a benchmark compares: by default the configured one ({@code --image-model} or
 * the default descriptor) first, then every other image descriptor of the models directory.
 */
final class ImageModelChoice {
  private final FacetConfig config;
  private final EmbedSettings embed;

  ImageModelChoice(CommonOptions common) {
    this.config = common.config(null);
    this.embed = common.embed();
  }

  /** {@code requested} when given, else the configured encoder followed by the other image descriptors. */
  List<String> names(List<String> requested) {
    if (requested != null && !requested.isEmpty()) {
      return List.copyOf(requested);
    }
    String first = embed.imageModelFile() != null ? embed.imageModelFile().toString() : embed.imageModelId();
    List<String> out = new ArrayList<>(List.of(first));
    for (String id : ModelDescriptorReader.imageIds(config.modelsDir())) {
      if (!id.equals(first)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Opens a descriptor id of the models directory, or a TorchScript file when the name is a path. */
  ImageEncoder open(String name) {
    if (name.endsWith(".pt") || name.contains("/")) {
      return TorchScriptImageEncoder.open(Path.of(name), ImagePipeline.DEFAULT_SIZE, config.device());
    }
    return ImageEncoders.open(ModelDescriptorReader.find(config.modelsDir(), name), config.device());
  }
}
