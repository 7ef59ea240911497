package dev.facet.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure of one person ({@code facet forget}, {@code DELETE /api/users/{id}}): the id joins the
 * tombstones first (so a catalog still holding the user's events never brings them back), then the
 * user leaves the in-memory behaviour, {@code events.jsonl}, every joint-model file (see {@link
 * dev.facet.model.UserErasure}) and every text file of the work directory, and a byte scan of the
 * whole work directory reports anything that still holds the id. Also applies event retention.
 */
public final class UserEraser {
  private static final Logger LOG = LoggerFactory.getLogger(UserEraser.class);

  private final Path work;
  private final BehaviourService behaviour;
  private final ModelHolder models;

  private UserEraser(Path work, BehaviourService behaviour, ModelHolder models) {
    this.work = work;
    this.behaviour = behaviour;
    this.models = models;
  }

  /** The eraser of {@code facet}'s work directory. */
  public static UserEraser of(Facet facet) {
    return new UserEraser(facet.config().workDir(), facet.behaviour(), facet.models());
  }

  /**
   * What erasure did.
   *
   * @param modelFiles model files and checkpoints rewritten without the user
   * @param textFiles text files that lost lines naming the user
   * @param remaining files that still hold the id's bytes after erasure (empty when it is complete)
   */
  public record Report(List<Path> modelFiles, List<Path> textFiles, List<Path> remaining) {
    /** Whether no byte of the work directory holds the id any more. */
    public boolean complete() {
      return remaining.isEmpty();
    }
  }

  /** Erases {@code user} from the work directory and from this engine's memory. */
  public Report forget(String user) {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("a user id is required");
    }
    List<Path> modelFiles;
    List<Path> textFiles;
    List<Path> remaining;
    // One erasure at a time per engine (the service is the engine's single behaviour owner); live
    // events wait meanwhile, and those of the erased user are dropped by the tombstone.
    synchronized (behaviour) {
      behaviour.tombstones().add(user);
      behaviour.forget(user);
      modelFiles = models.eraseUser(user);
      textFiles = new ArrayList<>(WorkDirScrub.dropLines(work, user));
      remaining = WorkDirScrub.stillHolding(work, user);
    }
    LOG.info("erased a user: {} model files and {} text files rewritten, {} files still hold the id",
        modelFiles.size(), textFiles.size(), remaining.size());
    return new Report(modelFiles, textFiles, remaining);
  }

  /** Deletes events older than {@code --event-retention-days} from {@code events.jsonl}; returns how many. */
  public long applyRetention() {
    return behaviour.applyRetention();
  }
}
