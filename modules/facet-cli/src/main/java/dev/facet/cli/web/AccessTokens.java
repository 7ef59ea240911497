package dev.facet.cli.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bearer tokens of {@code facet serve --tokens FILE}: one token a line, {@code read TOKEN} or
 * {@code write TOKEN} ({@code #} comments and blank lines ignored). Only SHA-256 digests are kept,
 * and a presented token is compared against every entry with {@link MessageDigest#isEqual}, so
 * neither the comparison nor the position of the match tells a caller how close a guess was.
 */
public final class AccessTokens {
  /** What a caller may do. */
  public enum Access {
    /** No (valid) token. */
    NONE,
    /** Search, similar, recommend, filters, listings. */
    READ,
    /** Everything READ may, plus events, catalog updates and erasure. */
    WRITE
  }

  /** Shortest token accepted: anything shorter is guessable. */
  static final int MIN_TOKEN_CHARS = 6;

  private record Entry(byte[] digest, Access access) {}

  private final List<Entry> entries;

  private AccessTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No tokens: every caller has write access (only allowed on a loopback address). */
  public static AccessTokens none() {
    return new AccessTokens(List.of());
  }

  /** Reads a tokens file; a malformed line is an error naming the line (never echoing the token). */
  public static AccessTokens read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      String where = file + ":" + (i + 1) + ": ";
      if (parts.length != 2) {
        throw new IllegalArgumentException(where + "expected 'read TOKEN' or 'write TOKEN'");
      }
      Access access = switch (parts[0].toLowerCase(Locale.ROOT)) {
        case "read" -> Access.READ;
        case "write" -> Access.WRITE;
        default -> throw new IllegalArgumentException(where + "the kind must be 'read' or 'write'");
      };
      if (parts[1].length() < MIN_TOKEN_CHARS) {
        throw new IllegalArgumentException(where + "a token needs at least " + MIN_TOKEN_CHARS + " characters");
      }
      entries.add(new Entry(sha256(parts[1]), access));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("the tokens file " + file + " holds no token");
    }
    return new AccessTokens(entries);
  }

  /** Whether tokens are required at all. */
  public boolean enabled() {
    return !entries.isEmpty();
  }

  /** The access an {@code Authorization} header value grants (NONE for a missing or unknown token). */
  Access of(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Access.NONE;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    Access best = Access.NONE;
    for (Entry e : entries) { // no early exit: every entry is compared
      if (MessageDigest.isEqual(e.digest(), presented) && e.access().compareTo(best) > 0) {
        best = e.access();
      }
    }
    return best;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
