package dev.facet.model;

import dev.facet.core.AtomicFileWriter;
import dev.facet.core.Sha256;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a training job trains on, as one SHA-256: the configuration (all but the epoch budget and
 * the patience, so a finished run can be continued with more epochs), every item's features
 * (vectors bit for bit, so new encoders make a new job), the user profiles and the training and
 * validation interactions. A checkpoint is resumed only by the job that wrote it: after new
 * behaviour, new listings or a retrained encoder, resuming would either fail on changed shapes or,
 * worse, return the old run's parameters without training on the new data.
 */
final class TrainingJobDigest {
  /** File beside the checkpoints holding the digest of the job that writes them. */
  static final String FILE = "job.sha256";

  private TrainingJobDigest() {}

  static String of(JointModelConfig cfg, RecDataset ds, DataSplit split) {
    MessageDigest sha = Sha256.newDigest();
    try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
      out.writeUTF(cfg.toBuilder().epochs(1).patience(1).build().toString());
      out.writeInt(ds.items().size());
      for (ItemFeatures item : ds.items()) {
        out.writeUTF(item.id());
        writeVector(out, item.image());
        writeVector(out, item.text());
        out.writeUTF(new TreeMap<>(item.attributes()).toString());
      }
      Map<String, UserProfile> users = new TreeMap<>(ds.users());
      out.writeInt(users.size());
      for (UserProfile p : users.values()) {
        out.writeUTF(p.toString());
      }
      writeInteractions(out, split.train());
      writeInteractions(out, split.valid());
    } catch (IOException e) {
      throw new IllegalStateException("digest stream cannot fail", e);
    }
    return Sha256.hex(sha);
  }

  /** The digest recorded in {@code dir}, or null when there is none. */
  static String read(Path dir) {
    Path file = dir.resolve(FILE);
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
    } catch (IOException e) {
      throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Records {@code digest} in {@code dir} atomically. */
  static void write(Path dir, String digest) {
    Path file = dir.resolve(FILE);
    try {
      AtomicFileWriter.write(file, out -> out.write((digest + "\n").getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new FacetException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeVector(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v == null ? -1 : v.length);
    if (v != null) {
      for (float x : v) {
        out.writeInt(Float.floatToIntBits(x));
      }
    }
  }

  private static void writeInteractions(DataOutputStream out, List<Interaction> events) throws IOException {
    out.writeInt(events.size());
    for (Interaction e : events) {
      out.writeUTF(e.user());
      out.writeUTF(e.item());
      out.writeUTF(e.event().name());
      out.writeLong(e.ts().getEpochSecond());
      out.writeInt(e.ts().getNano());
    }
  }
}
