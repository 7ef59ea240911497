package dev.facet.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of one Facet instance.
 *
 * @param workDir where the index, trained model, rejects and reports live
 * @param modelsDir model descriptors and project-trained weights ({@code models/})
 * @param catalogDir the catalog directory (listings, interactions, images), or null
 * @param threads worker threads for decoding, tokenizing and data loading (at least 1)
 * @param device where models run
 * @param seed seed for everything random (sampling, initialization, splits)
 */
public record FacetConfig(Path workDir, Path modelsDir, Path catalogDir, int threads, Device device, long seed) {
  public FacetConfig {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(modelsDir, "modelsDir");
    Objects.requireNonNull(device, "device");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /** Defaults: {@code work/} and {@code models/} under {@code root}, all cores, automatic device, seed 42. */
  public static FacetConfig defaults(Path root) {
    return new FacetConfig(root.resolve("work"), root.resolve("models"), null,
        Runtime.getRuntime().availableProcessors(), Device.AUTO, 42L);
  }

  public FacetConfig withWorkDir(Path value) {
    return new FacetConfig(value, modelsDir, catalogDir, threads, device, seed);
  }

  public FacetConfig withModelsDir(Path value) {
    return new FacetConfig(workDir, value, catalogDir, threads, device, seed);
  }

  public FacetConfig withCatalogDir(Path value) {
    return new FacetConfig(workDir, modelsDir, value, threads, device, seed);
  }

  public FacetConfig withThreads(int value) {
    return new FacetConfig(workDir, modelsDir, catalogDir, value, device, seed);
  }

  public FacetConfig withDevice(Device value) {
    return new FacetConfig(workDir, modelsDir, catalogDir, threads, value, seed);
  }

  public FacetConfig withSeed(long value) {
    return new FacetConfig(workDir, modelsDir, catalogDir, threads, device, value);
  }
}
