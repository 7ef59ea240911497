package dev.facet.catalog.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads an image file for decoding or hashing. Only regular files are opened: opening a FIFO
 * blocks until a writer appears and {@code /dev/zero} never ends, and both report a size of 0, so
 * the file type is checked before {@code open}, and the read itself stops after the cap whatever
 * the size said.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @throws ImageRejectedException when it is missing, not a regular file, empty or longer than
   *     {@code maxBytes}
   */
  public static byte[] read(Path file, long maxBytes) {
    String source = file.toString();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ImageRejectedException(source, "missing file", e);
    } catch (IOException e) {
      throw unreadable(source, e);
    }
    if (attributes.isDirectory()) {
      throw new ImageRejectedException(source, "not a file (directory)");
    }
    if (!attributes.isRegularFile()) {
      throw new ImageRejectedException(source, "not a regular file (device, FIFO, socket or other special file)");
    }
    checkLength(attributes.size(), maxBytes, source);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new ImageRejectedException(source, "missing file", e);
    } catch (IOException e) {
      throw unreadable(source, e);
    }
    if (bytes.length > maxBytes) {
      // It grew after its size was read.
      throw new ImageRejectedException(source, "file too large (more than " + maxBytes + " bytes)");
    }
    checkLength(bytes.length, maxBytes, source);
    return bytes;
  }

  static void checkLength(long length, long maxBytes, String source) {
    if (length == 0) {
      throw new ImageRejectedException(source, "empty file");
    }
    if (length > maxBytes) {
      throw new ImageRejectedException(source, "file too large (" + length + " bytes > " + maxBytes + ")");
    }
  }

  private static ImageRejectedException unreadable(String source, IOException e) {
    return new ImageRejectedException(source, "unreadable file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
  }
}
