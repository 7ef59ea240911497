package dev.facet.cli;

import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command that opens a Facet work directory. */
final class CommonOptions {
  @Option(names = "--work", description = "Work directory (index, model, reports). Default: ${DEFAULT-VALUE}", defaultValue = "work")
  Path work;

  @Option(names = "--models", description = "Models directory (descriptors and weights). Default: <facet home>/models")
  Path models;

  @Option(names = "--threads", description = "Worker threads. Default: number of cores")
  Integer threads;

  @Option(names = "--device", description = "AUTO, CPU or GPU. Default: ${DEFAULT-VALUE}", defaultValue = "AUTO")
  Device device;

  @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}", defaultValue = "42")
  long seed;

  /** The options a command without the mixin uses: its own work dir and seed, everything else default. */
  static CommonOptions of(Path work, long seed) {
    CommonOptions options = new CommonOptions();
    options.work = work;
    options.seed = seed;
    options.device = Device.AUTO;
    return options;
  }

  FacetConfig config(Path catalogDir) {
    FacetConfig defaults = FacetConfig.defaults(facetHome());
    return new FacetConfig(work, models != null ? models : defaults.modelsDir(), catalogDir,
        threads != null ? threads : defaults.threads(), device, seed);
  }

  /** The project root the launcher passes in; the current directory otherwise. */
  static Path facetHome() {
    return Path.of(System.getProperty("facet.home", ".")).toAbsolutePath().normalize();
  }
}
