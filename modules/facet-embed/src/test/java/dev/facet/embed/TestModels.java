package dev.facet.embed;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations shared by the tests: the project's models/ directory and a per-user model cache. */
public final class TestModels {
  private TestModels() {}

  static Path projectRoot() {
    String root = System.getProperty("facet.project.root");
    Path p = root != null ? Path.of(root) : Path.of("../..");
    return p.toAbsolutePath().normalize();
  }

  public static Path modelsDir() {
    return projectRoot().resolve("models");
  }

  public static Path cacheDir() {
    return ModelFiles.defaultCacheDir();
  }

  /** The committed sample catalog, or null when it is not there yet. */
  static Path catalogSamples() {
    Path dir = projectRoot().resolve("catalog-samples");
    return Files.isRegularFile(dir.resolve("listings.jsonl")) ? dir : null;
  }
}
