package dev.facet.engine;

import dev.facet.core.FacetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The generic part of erasure: text files Facet (or an operator) left in the work directory — rejects,
 * reports, logs, also gzip-compressed — lose every line that names the user, and a final byte scan
 * (plain files, gzip and zip members) proves what, if anything, still holds the id.
 */
final class WorkDirScrub {
  /** Directories with their own erasure (model files) or that hold no personal data (index, encoders). */
  private static final Set<String> SKIPPED = Set.of("index", "model", "model-cache", Tombstones.DIR);
  private static final List<String> TEXT = List.of(".jsonl", ".ndjson", ".json", ".log", ".txt", ".csv", ".tsv", ".md");

  private WorkDirScrub() {}

  /** A line names the user when the id appears with no letter or digit directly around it. */
  static Pattern mention(String user) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(user) + "(?![\\p{L}\\p{N}])");
  }

  /** Drops the lines naming {@code user} from every text file of the work directory; returns the files changed. */
  static List<Path> dropLines(Path work, String user) {
    Pattern mention = mention(user);
    byte[] needle = user.getBytes(StandardCharsets.UTF_8);
    List<Path> changed = new ArrayList<>();
    for (Path f : files(work, true)) {
      String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      boolean gz = name.endsWith(".gz");
      String inner = gz ? name.substring(0, name.length() - 3) : name;
      if (TEXT.stream().noneMatch(inner::endsWith) || !holds(f, needle)) {
        continue;
      }
      if (rewrite(f, gz, mention)) {
        changed.add(f);
      }
    }
    return changed;
  }

  /** Every file under {@code work} whose bytes (or gzip/zip contents) still hold {@code user}. */
  static List<Path> stillHolding(Path work, String user) {
    byte[] needle = user.getBytes(StandardCharsets.UTF_8);
    List<Path> out = new ArrayList<>();
    for (Path f : files(work, false)) {
      if (holds(f, needle)) {
        out.add(f);
      }
    }
    return out;
  }

  private static List<Path> files(Path work, boolean skipOwned) {
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(Files::isRegularFile)
          .filter(f -> !skipOwned || !SKIPPED.contains(work.relativize(f).getName(0).toString()))
          .sorted().toList();
    } catch (IOException e) {
      throw new FacetException("cannot list " + work + ": " + e.getMessage(), e);
    }
  }

  private static boolean holds(Path f, byte[] needle) {
    String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    try {
      if (contains(Files.newInputStream(f), needle)) {
        return true;
      }
      if (name.endsWith(".gz")) {
        return contains(new GZIPInputStream(Files.newInputStream(f)), needle);
      }
      if (name.endsWith(".zip") || name.endsWith(".jar")) {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(f))) {
          for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
            if (e.getName().contains(new String(needle, StandardCharsets.UTF_8)) || scan(zip, needle)) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false; // not readable as what its name says: its raw bytes were scanned above
    }
  }

  private static boolean contains(InputStream in, byte[] needle) throws IOException {
    try (in) {
      return scan(in, needle);
    }
  }

  /** Streaming search; chunks overlap by the needle's length so a match across reads is found. */
  private static boolean scan(InputStream in, byte[] needle) throws IOException {
    byte[] buf = new byte[(1 << 20) + needle.length];
    int carry = 0;
    for (int n; (n = in.read(buf, carry, buf.length - carry)) > 0; ) {
      int len = carry + n;
      if (indexOf(buf, len, needle) >= 0) {
        return true;
      }
      carry = Math.min(needle.length - 1, len);
      System.arraycopy(buf, len - carry, buf, 0, carry);
    }
    return false;
  }

  private static int indexOf(byte[] hay, int len, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= len; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean rewrite(Path f, boolean gz, Pattern mention) {
    Path tmp = f.resolveSibling(f.getFileName() + ".scrub.tmp");
    boolean dropped = false;
    try (InputStream raw = Files.newInputStream(f);
        BufferedReader in = new BufferedReader(new InputStreamReader(gz ? new GZIPInputStream(raw) : raw,
            StandardCharsets.UTF_8));
        OutputStream sink = Files.newOutputStream(tmp);
        Writer out = new java.io.OutputStreamWriter(gz ? new GZIPOutputStream(sink) : sink, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (mention.matcher(line).find()) {
          dropped = true;
          continue;
        }
        out.write(line);
        out.write('\n');
      }
    } catch (IOException e) {
      throw new FacetException("cannot rewrite " + f + " without the erased user: " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FacetException("cannot replace " + f + ": " + e.getMessage(), e);
    }
    return dropped;
  }
}
