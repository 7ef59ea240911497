package dev.facet.spark;

import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedModule;
import dev.facet.embed.EmbedSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What executors need to open Facet's encoders, in a serializable form (Spark ships it inside task
 * closures; {@link Path} is not serializable, so paths travel as strings).
 *
 * @param modelsDir model descriptors and weights, on a path every executor sees
 * @param cacheDir where classpath weights are unpacked on each executor host
 * @param textModelId text descriptor id
 * @param imageModelId image descriptor id
 * @param imageModelFile a TorchScript image model used instead of {@code imageModelId}, or null
 * @param device where models run on executors
 * @param batchSize listings per forward pass
 * @param decodeWorkers image decode / tokenize threads per task
 * @param chunkSize listings an executor task embeds per pipeline run (bounds task memory)
 */
public record ExtractSettings(String modelsDir, String cacheDir, String textModelId, String imageModelId,
    String imageModelFile, Device device, int batchSize, int decodeWorkers, int chunkSize) implements Serializable {
  private static final long serialVersionUID = 1L;

  public ExtractSettings {
    Objects.requireNonNull(modelsDir, "modelsDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(device, "device");
    if (batchSize < 1 || decodeWorkers < 1 || chunkSize < batchSize) {
      throw new IllegalArgumentException("need batchSize >= 1, decodeWorkers >= 1 and chunkSize >= batchSize");
    }
  }

  /** The same encoders {@link EmbedModule} opens for {@code config} and {@code embed}. */
  public static ExtractSettings of(FacetConfig config, EmbedSettings embed, int decodeWorkers) {
    return new ExtractSettings(config.modelsDir().toAbsolutePath().toString(),
        EmbedModule.cacheDir(config).toAbsolutePath().toString(), embed.textModelId(), embed.imageModelId(),
        embed.imageModelFile() == null ? null : embed.imageModelFile().toAbsolutePath().toString(), config.device(),
        embed.batchSize(), decodeWorkers, Math.max(256, embed.batchSize()));
  }

  /** The {@link FacetConfig} executors build their encoders from (work dir = parent of the cache dir). */
  FacetConfig facetConfig() {
    return new FacetConfig(Path.of(cacheDir).getParent() == null ? Path.of(".") : Path.of(cacheDir).getParent(),
        Path.of(modelsDir), null, decodeWorkers, device, 42L);
  }

  /** The {@link EmbedSettings} executors build their encoders from. */
  EmbedSettings embedSettings() {
    EmbedSettings s = new EmbedSettings(textModelId, imageModelId, null, batchSize);
    return imageModelFile == null ? s : s.withImageModelFile(Path.of(imageModelFile));
  }
}
