package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.index.CatalogIndex;
import dev.facet.model.JointModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The trained joint model currently served: loaded lazily from {@code <work>/model/joint.model} and
 * swapped atomically after a training run, so recommendations never see a half-written model.
 *
 * <p>A model and the item vectors it wrote into the index are one generation, published in this
 * order: the model is saved as {@code joint.model.next} ({@link #stage}); the vectors are committed
 * to the index with that file's digest in the commit data ({@link #KEY_MODEL_DIGEST}), which is the
 * moment the new generation exists; then the file is renamed to {@code joint.model} ({@link
 * #promote}). On open, a {@code .next} whose digest the index committed is promoted (the process
 * died after the vectors), any other {@code .next} is dropped (it died before them), and a model
 * whose digest differs from the committed one is not served: a kill at any point leaves the old
 * generation or the new one, never a model without its vectors.
 */
@Singleton
final class ModelHolder implements AutoCloseable {
  /** Index commit-data key: SHA-256 of the model file whose item vectors the index holds. */
  static final String KEY_MODEL_DIGEST = "facet.model.digest";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelHolder.class);

  private final Path file;
  /** The index whose commit data names the model generation, or null (tests without an index). */
  private final Provider<CatalogIndex> index;
  private volatile JointModel current;
  /** Generation id of {@link #current}: the start of its file's digest. */
  private volatile String generation;
  private volatile ServingModel serving;
  private volatile boolean loaded;
  private volatile String absence;

  ModelHolder(FacetConfig config) {
    this(config, null);
  }

  @Inject
  ModelHolder(FacetConfig config, Provider<CatalogIndex> index) {
    this.file = modelFile(config);
    this.index = index;
  }

  /** Why a model file on disk is not served, or null. */
  String absence() {
    return absence;
  }

  /** Saves {@code model} beside the served one as the next generation; returns the file's digest. */
  String stage(JointModel model) {
    Path next = nextFile();
    model.save(next);
    return digest(next);
  }

  /**
   * The id of the generation served, or null when no model is: the first {@value #GENERATION_CHARS}
   * hex digits of the model file's digest, which the index commit naming its item vectors holds in full.
   */
  String generation() {
    current();
    return generation;
  }

  private static final int GENERATION_CHARS = 12;

  private static String generationOf(String digest) {
    return digest.substring(0, GENERATION_CHARS);
  }

  /**
   * Makes the staged model (whose vectors are committed with {@code digest}) the served one and closes
   * the previous model. Requests that pinned the previous generation finish on it: serving reads
   * only its plain-Java parts, which closing leaves intact.
   */
  synchronized void promote(JointModel model, String digest) {
    try {
      Files.move(nextFile(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FacetException("cannot publish the trained model as " + file + ": " + e.getMessage(), e);
    }
    generation = generationOf(digest);
    swap(model);
  }

  private Path nextFile() {
    return file.resolveSibling(file.getFileName() + ".next");
  }

  static String digest(Path path) {
    try (var in = Files.newInputStream(path)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new FacetException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** The model on disk if its generation is the one the index committed; see the class comment. */
  private JointModel loadGeneration() throws IOException {
    String committed = index == null ? null : index.get().lastCommitUserData().get(KEY_MODEL_DIGEST);
    Path next = nextFile();
    if (Files.exists(next)) {
      if (committed != null && committed.equals(digest(next))) {
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.delete(next);
      }
    }
    if (!Files.exists(file)) {
      return null;
    }
    String digest = digest(file);
    if (committed != null && !committed.equals(digest)) {
      absence = "the model file " + file + " is not the one whose item vectors the index holds; run `facet train`";
      LOG.warn(absence);
      return null;
    }
    JointModel model = JointModel.load(file);
    generation = generationOf(digest);
    return model;
  }

  static Path modelFile(FacetConfig config) {
    return config.workDir().resolve("model").resolve("joint.model");
  }

  /** The served model, or empty when none was trained in this work directory. */
  Optional<JointModel> current() {
    if (!loaded) {
      synchronized (this) {
        if (!loaded) {
          try {
            current = loadGeneration();
          } catch (IOException e) {
            throw new FacetException("cannot open the model in " + file.getParent() + ": " + e.getMessage(), e);
          }
          loaded = true;
        }
      }
    }
    return Optional.ofNullable(current);
  }

  /**
   * The served model prepared for serving (its user tower exported to plain Java once per model
   * version), or empty when none was trained in this work directory.
   */
  Optional<ServingModel> serving() {
    JointModel model = current().orElse(null);
    ServingModel s = serving;
    if (model == null || (s != null && s.model() == model)) {
      return model == null ? Optional.empty() : Optional.of(s);
    }
    synchronized (this) {
      // Re-read under the lock: replace() may have swapped (and closed) the model meanwhile.
      model = current;
      if (model == null) {
        return Optional.empty();
      }
      if (serving == null || serving.model() != model) {
        serving = new ServingModel(model, generation);
      }
      return Optional.of(serving);
    }
  }

  /** Serves {@code model} from now on and closes the previous model. */
  private synchronized void swap(JointModel model) {
    absence = null;
    JointModel old = current;
    current = model;
    serving = null;
    loaded = true;
    if (old != null && old != model) {
      old.close();
    }
  }

  /**
   * Rewrites every joint-model file under {@code <work>/model} (the served model, a retired one,
   * training checkpoints) without {@code user}, then serves the rewritten model.
   *
   * @return the files that held the user
   */
  synchronized java.util.List<Path> eraseUser(String user) {
    java.util.List<Path> rewritten = new java.util.ArrayList<>();
    Path dir = file.getParent();
    if (Files.isDirectory(dir)) {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          if (dev.facet.model.UserErasure.isCheckpoint(f) && dev.facet.model.UserErasure.erase(f, user)) {
            rewritten.add(f);
          }
        }
      } catch (IOException e) {
        throw new FacetException("cannot list " + dir + " to erase a user: " + e.getMessage(), e);
      }
    }
    if (rewritten.contains(file)) {
      recommitDigest();
    }
    if (loaded && rewritten.contains(file)) {
      JointModel old = current;
      current = JointModel.load(file);
      serving = null;
      if (old != null) {
        old.close();
      }
    }
    return rewritten;
  }

  /**
   * Ties the rewritten model file to the item vectors the index holds: erasing a user changes the file
   * (its user rows) but no item vector, so the same vectors are committed again with the new digest;
   * otherwise the next open would refuse the rewritten model as another generation's. A kill before
   * this commit leaves the model unserved until `facet train`, never served beside wrong vectors.
   */
  private void recommitDigest() {
    if (index == null) {
      return;
    }
    CatalogIndex idx = index.get();
    java.util.Map<String, String> data = new java.util.HashMap<>(idx.lastCommitUserData());
    if (data.containsKey(KEY_MODEL_DIGEST)) {
      data.put(KEY_MODEL_DIGEST, digest(file));
      idx.commit(data);
    }
  }

  /**
   * Takes the served model out of service because the item vectors it was trained on are about to be
   * replaced by another encoder's: a model fed vectors from a space it never saw would rank
   * silently wrong. The file is moved aside to {@code joint.model.retired} (kept for inspection)
   * and recommendations fall back to popularity until a new training run.
   *
   * @return where the retired model now is, or null when there was none
   */
  synchronized Path retire() {
    close();
    generation = null;
    loaded = true;
    if (!Files.exists(file)) {
      return null;
    }
    Path aside = file.resolveSibling(file.getFileName() + ".retired");
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FacetException("cannot retire " + file + " (trained on another encoder's vectors): " + e.getMessage(), e);
    }
    return aside;
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    serving = null;
    loaded = false;
  }
}
