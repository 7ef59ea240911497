package dev.facet.core;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the complete new one: a temporary
 * file in the same directory, fsync, then an atomic rename over the target. Every file Facet writes
 * for later runs to read (models, checkpoints, unpacked weights, job digests) goes through it.
 */
public final class AtomicFileWriter {
  /** The body of the file; an exception it throws leaves the target as it was. */
  public interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private AtomicFileWriter() {}

  /** Writes {@code file} with the content {@code body} produces, all or nothing. */
  public static void write(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream os = Channels.newOutputStream(ch);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
