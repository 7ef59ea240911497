package dev.facet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as Facet writes it everywhere: lowercase hex (model weights, content hashes, training-job digests). */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 digest (every JDK has one). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** The digest's value as 64 lowercase hex digits (and the digest reset). */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Copies {@code in} to {@code out} and returns the hex SHA-256 of the bytes copied. */
  public static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest md = newDigest();
    try (DigestInputStream din = new DigestInputStream(in, md)) {
      din.transferTo(out);
    }
    return hex(md);
  }
}
