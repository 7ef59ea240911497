package dev.facet.cli.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.util.URIUtil;

/**
 * Maps the raw (still percent-encoded) remainder of an {@code /images/...} URL to a file inside the
 * catalog directory, or refuses it. The checks are layered on purpose: suspicious encodings are
 * refused before decoding, dot segments and absolute forms after decoding, and finally the real
 * path (symbolic links followed) must still lie inside the catalog directory.
 */
final class ImagePaths {
  /** Served file types; anything else in the catalog (listings, users, ground truth) stays private. */
  static final Map<String, String> CONTENT_TYPES =
      Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png", "webp", "image/webp");

  private ImagePaths() {}

  /**
   * The image file for {@code rawRelative}.
   *
   * @param catalogRoot the catalog directory as a real (symlink-free, absolute) path
   * @throws HttpException 400 for traversal attempts and malformed paths, 404 for anything not served
   */
  static Path resolve(Path catalogRoot, String rawRelative) {
    return locate(catalogRoot, decode(rawRelative));
  }

  /**
   * Decodes and checks the syntax of a raw relative image path, needing no catalog: traversal is
   * refused even while no catalog is being served.
   *
   * @throws HttpException 400 for traversal attempts and malformed paths, 404 for non-image names
   */
  static String decode(String rawRelative) {
    String lower = rawRelative.toLowerCase(Locale.ROOT);
    // Encoded separators, NUL and double encoding have no business in an image path; refusing them
    // up front means the decoded form can never smuggle a separator past the segment check.
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || lower.contains("%25")
        || rawRelative.indexOf('\\') >= 0) {
      throw HttpException.badRequest("illegal image path");
    }
    String decoded;
    try {
      decoded = URIUtil.decodePath(rawRelative);
    } catch (RuntimeException e) {
      throw HttpException.badRequest("illegal image path");
    }
    if (decoded.isEmpty() || decoded.startsWith("/") || decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0
        || decoded.indexOf(':') >= 0) {
      throw HttpException.badRequest("illegal image path");
    }
    for (String segment : decoded.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw HttpException.badRequest("illegal image path");
      }
    }
    int dot = decoded.lastIndexOf('.');
    if (dot < 0 || !CONTENT_TYPES.containsKey(decoded.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      throw HttpException.notFound("no such image");
    }
    return decoded;
  }

  /** The file for a path {@link #decode} accepted, if it really lies inside the catalog. */
  static Path locate(Path catalogRoot, String decoded) {
    Path candidate = catalogRoot.resolve(decoded).normalize();
    if (!candidate.startsWith(catalogRoot)) {
      throw HttpException.badRequest("illegal image path");
    }
    if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(candidate)) {
      throw HttpException.notFound("no such image");
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw HttpException.notFound("no such image");
    }
    if (!real.startsWith(catalogRoot)) {
      // A symbolic link inside the catalog pointing elsewhere.
      throw HttpException.notFound("no such image");
    }
    return real;
  }

  /** The content type for a resolved image file. */
  static String contentType(Path file) {
    String name = file.getFileName().toString();
    return CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
  }
}
