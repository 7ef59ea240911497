package dev.facet.cli;

import dev.facet.catalog.CatalogImagePaths;
import dev.facet.catalog.image.ImageLimits;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.engine.EventRetention;
import dev.facet.engine.Facet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Option(names = "--image-model", paramLabel = "ID|FILE",
      description = "Image encoder: a descriptor id in the models directory, or a TorchScript file. "
          + "Default: image-fused-trained (an ImageNet-pretrained InceptionV3 trunk and the catalog-trained ResNet, "
          + "image-resnet-catalog, fused by a trained linear head; image-fused fuses them with fixed weights). "
          + "An index keeps the vector size it was built with.")
  String imageModel;

  @Option(names = "--max-image-pixels", paramLabel = "N",
      description = "Largest image, catalog image or uploaded photo, in pixels (width x height of every frame its header declares, "
          + "and of the decoded image). Default: " + ImageLimits.DEFAULT_MAX_PIXELS + " (or -D" + ImageLimits.MAX_PIXELS_PROPERTY + ")")
  Long maxImagePixels;

  @Option(names = "--image-root", paramLabel = "DIR",
      description = "A directory outside the catalog that listing images may lead into through symbolic links (repeatable). "
          + "Image paths themselves are always relative to the catalog directory.")
  List<Path> imageRoots;

  @Option(names = "--event-retention-days", paramLabel = "DAYS",
      description = "Keep behaviour events for this many days: older ones are skipped whenever behaviour loads and deleted "
          + "from the work directory's events.jsonl at ingest and training. Default: keep all.")
  Long eventRetentionDays;

  /** The options a command without the mixin uses: its own work dir and seed, everything else default. */
  static CommonOptions of(Path work, long seed) {
    CommonOptions options = new CommonOptions();
    options.work = work;
    options.seed = seed;
    options.device = Device.AUTO;
    return options;
  }

  /** Encoder settings: the defaults, or the image model named by {@code --image-model}. */
  EmbedSettings embed() {
    EmbedSettings defaults = EmbedSettings.defaults();
    if (imageModel == null || imageModel.isBlank()) {
      return defaults;
    }
    Path file = Path.of(imageModel);
    // A path to an existing file, or anything that looks like one, is a TorchScript file; the
    // encoder reports a missing file with how to export it. A bare name is a descriptor id.
    boolean looksLikeFile = Files.isRegularFile(file) || imageModel.endsWith(".pt") || imageModel.contains("/");
    return looksLikeFile ? defaults.withImageModelFile(file.toAbsolutePath()) : defaults.withImageModelId(imageModel);
  }

  /** Opens Facet with these options over {@code catalogDir} (null when the command reads no catalog). */
  Facet open(Path catalogDir) {
    return Facet.open(config(catalogDir), embed());
  }

  FacetConfig config(Path catalogDir) {
    applyImageOptions();
    FacetConfig defaults = FacetConfig.defaults(facetHome());
    return new FacetConfig(work, models != null ? models : defaults.modelsDir(), catalogDir,
        threads != null ? threads : defaults.threads(), device, seed);
  }

  /**
   * The image options are JVM-wide system properties, read wherever an image is decoded or
   * resolved (ingest workers, validation, photo uploads), so they are set before anything opens.
   */
  void applyImageOptions() {
    if (eventRetentionDays != null) {
      EventRetention.set(eventRetentionDays);
    }
    if (maxImagePixels != null) {
      if (maxImagePixels < (long) ImagePipeline.MIN_SIDE * ImagePipeline.MIN_SIDE) {
        throw new IllegalArgumentException("--max-image-pixels must be at least " + ImagePipeline.MIN_SIDE * ImagePipeline.MIN_SIDE
            + ", got " + maxImagePixels);
      }
      System.setProperty(ImageLimits.MAX_PIXELS_PROPERTY, Long.toString(maxImagePixels));
    }
    if (imageRoots != null && !imageRoots.isEmpty()) {
      StringBuilder roots = new StringBuilder();
      for (Path root : imageRoots) {
        roots.append(roots.isEmpty() ? "" : File.pathSeparator).append(root.toAbsolutePath().normalize());
      }
      System.setProperty(CatalogImagePaths.ROOTS_PROPERTY, roots.toString());
    }
  }

  /** The project root the launcher passes in; the current directory otherwise. */
  static Path facetHome() {
    return Path.of(System.getProperty("facet.home", ".")).toAbsolutePath().normalize();
  }
}
