package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.model.JointModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The trained joint model currently served: loaded lazily from {@code <work>/model/joint.model} and
 * swapped atomically after a training run, so recommendations never see a half-written model.
 */
@Singleton
final class ModelHolder implements AutoCloseable {
  private final Path file;
  private volatile JointModel current;
  private volatile ServingModel serving;
  private volatile boolean loaded;

  @Inject
  ModelHolder(FacetConfig config) {
    this.file = modelFile(config);
  }

  static Path modelFile(FacetConfig config) {
    return config.workDir().resolve("model").resolve("joint.model");
  }

  /** The served model, or empty when none was trained in this work directory. */
  Optional<JointModel> current() {
    if (!loaded) {
      synchronized (this) {
        if (!loaded) {
          if (Files.exists(file)) {
            current = JointModel.load(file);
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
        serving = new ServingModel(model);
      }
      return Optional.of(serving);
    }
  }

  /** Saves {@code model} as the served one and closes the previous model. */
  synchronized void replace(JointModel model) {
    model.save(file);
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
   * Takes the served model out of service because the item vectors it was trained on are about to be
   * replaced by another encoder's: a model fed vectors from a space it never saw would rank
   * silently wrong. The file is moved aside to {@code joint.model.retired} (kept for inspection)
   * and recommendations fall back to popularity until a new training run.
   *
   * @return where the retired model now is, or null when there was none
   */
  synchronized Path retire() {
    close();
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
