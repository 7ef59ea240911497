package dev.facet.catalog;

import dev.facet.catalog.image.ImageRejectedException;
import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a listing image may come from. A listings file is input, possibly hostile, and its image
 * paths are opened by ingest and validation: an absolute path or a {@code ..} would let it make
 * Facet read (and embed, and hash) any file the process can read. So an image path is relative,
 * stays inside the catalog directory, and its real path (symbolic links followed) must still lie
 * inside the catalog directory or one of the extra roots named by the system property {@value
 * #ROOTS_PROPERTY} (paths separated by {@code File.pathSeparator}; for an {@code images/} that is a
 * link to shared storage). The sample catalog shipped with Facet ({@code <facet.home>/catalog-samples})
 * is always a root: its files are Facet's own, and a catalog made from the samples may link to
 * its images instead of copying them. Whether the file is a regular file is checked where it is
 * read ({@link dev.facet.catalog.image.ImageFiles}).
 */
public final class CatalogImagePaths {
  /** Longest accepted image path, in characters. */
  public static final int MAX_PATH_CHARS = 1024;
  /** System property: extra directories that image paths may resolve into through symbolic links. */
  public static final String ROOTS_PROPERTY = "facet.image.roots";

  private static final Pattern REMOTE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://|data:).*", Pattern.DOTALL);
  private static final Pattern DRIVE = Pattern.compile("^[a-zA-Z]:.*", Pattern.DOTALL);

  private CatalogImagePaths() {}

  /**
   * Why {@code path} can never name a catalog image, or null when its syntax is acceptable. Looks
   * at the string only, never at the file system, so it runs on every record.
   */
  static String syntaxError(String path) {
    if (path == null || path.isBlank()) {
      return "blank image path";
    }
    if (path.length() > MAX_PATH_CHARS) {
      return "image path longer than " + MAX_PATH_CHARS + " characters";
    }
    int bad = Texts.firstControl(path);
    if (bad >= 0) {
      return "illegal character " + Texts.codePoint(path, bad) + " at character " + (bad + 1) + " of the image path";
    }
    if (REMOTE.matcher(path).matches()) {
      return "remote image URL not supported (Facet never fetches from the network)";
    }
    if (path.indexOf('\\') >= 0) {
      return "backslash in image path (separate directories with '/')";
    }
    if (path.startsWith("/") || DRIVE.matcher(path).matches()) {
      return "absolute image path (image paths are relative to the catalog directory)";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return "image path leaves the catalog directory ('..')";
      }
    }
    return null;
  }

  /**
   * The file {@code path} names inside {@code catalogDir}: its real path when it exists, else the
   * normalized path (the reader then reports it missing).
   *
   * @throws ImageRejectedException when the syntax is refused or the real path lies outside the
   *     catalog directory and the configured roots
   */
  public static Path resolve(Path catalogDir, String path) {
    String error = syntaxError(path);
    if (error != null) {
      throw new ImageRejectedException(Texts.printable(path, 200), error);
    }
    Path root = catalogDir.toAbsolutePath().normalize();
    Path candidate;
    try {
      candidate = root.resolve(path).normalize();
    } catch (InvalidPathException e) {
      throw new ImageRejectedException(Texts.printable(path, 200), "invalid image path (" + e.getReason() + ")");
    }
    if (!candidate.startsWith(root)) {
      throw new ImageRejectedException(path, "image path leaves the catalog directory");
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return candidate;
    } catch (IOException e) {
      throw new ImageRejectedException(path, "unreadable file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
    if (!insideRoots(real, root)) {
      throw new ImageRejectedException(path, "image path leads outside the catalog directory (through a symbolic link)");
    }
    return real;
  }

  private static boolean insideRoots(Path real, Path root) {
    for (Path allowed : roots(root)) {
      if (real.startsWith(allowed)) {
        return true;
      }
    }
    return false;
  }

  /** The catalog directory and the configured roots, as real paths; roots that do not exist are skipped. */
  private static List<Path> roots(Path catalogRoot) {
    List<Path> roots = new ArrayList<>();
    addReal(roots, catalogRoot);
    String home = System.getProperty("facet.home");
    if (home != null && !home.isBlank()) {
      addReal(roots, Path.of(home, "catalog-samples").toAbsolutePath().normalize());
    }
    String configured = System.getProperty(ROOTS_PROPERTY, "");
    for (String entry : configured.split(Pattern.quote(File.pathSeparator))) {
      if (!entry.isBlank()) {
        addReal(roots, Path.of(entry.trim()).toAbsolutePath().normalize());
      }
    }
    return roots;
  }

  private static void addReal(List<Path> roots, Path dir) {
    try {
      roots.add(dir.toRealPath());
    } catch (IOException e) {
      // A root that does not exist holds no image; the others still apply.
    }
  }
}
