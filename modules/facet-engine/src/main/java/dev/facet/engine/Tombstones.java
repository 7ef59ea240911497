package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Users erased from this work directory. The list must outlive the erasure (the catalog a shop
 * ingests again may still hold the user's events), yet must not itself keep the id: each entry is
 * HMAC-SHA256(key, id) with a random per-work-directory key in {@code privacy/tombstone.key}, so the
 * list alone cannot be matched against a guessed id list without that key.
 */
@Singleton
final class Tombstones {
  static final String DIR = "privacy";
  private static final String ALGORITHM = "HmacSHA256";

  private final Path keyFile;
  private final Path listFile;
  private volatile Set<String> hashes;
  private volatile byte[] key;

  @Inject
  Tombstones(FacetConfig config) {
    Path dir = config.workDir().resolve(DIR);
    this.keyFile = dir.resolve("tombstone.key");
    this.listFile = dir.resolve("tombstones.txt");
  }

  /** Whether {@code user} was erased. Cheap once loaded; never creates the key. */
  boolean contains(String user) {
    Set<String> h = loaded();
    return !h.isEmpty() && h.contains(hash(user));
  }

  /** Whether any user was erased (callers skip filtering otherwise). */
  boolean isEmpty() {
    return loaded().isEmpty();
  }

  /** Adds {@code user} (idempotent), creating the key on first use. */
  synchronized void add(String user) {
    Set<String> h = new HashSet<>(loaded());
    String entry = hash(user);
    if (!h.add(entry)) {
      return;
    }
    try {
      Files.writeString(listFile, entry + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new FacetException("cannot record the erasure in " + listFile + ": " + e.getMessage(), e);
    }
    hashes = Set.copyOf(h);
  }

  private Set<String> loaded() {
    Set<String> h = hashes;
    if (h == null) {
      synchronized (this) {
        if (hashes == null) {
          hashes = read();
        }
        h = hashes;
      }
    }
    return h;
  }

  private Set<String> read() {
    if (!Files.exists(listFile)) {
      return Set.of();
    }
    try {
      List<String> lines = Files.readAllLines(listFile, StandardCharsets.US_ASCII);
      Set<String> out = new HashSet<>();
      for (String line : lines) {
        if (!line.isBlank()) {
          out.add(line.trim());
        }
      }
      return Set.copyOf(out);
    } catch (IOException e) {
      throw new FacetException("cannot read the erasure list " + listFile + ": " + e.getMessage(), e);
    }
  }

  String hash(String user) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key(), ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private synchronized byte[] key() {
    if (key != null) {
      return key;
    }
    try {
      if (!Files.exists(keyFile)) {
        Files.createDirectories(keyFile.getParent());
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        Files.write(tmp, fresh);
        restrict(tmp);
        Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      key = Files.readAllBytes(keyFile);
      return key;
    } catch (IOException e) {
      throw new FacetException("cannot create or read the erasure key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own permissions are all there is
    }
  }
}
