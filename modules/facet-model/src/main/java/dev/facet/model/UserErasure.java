package dev.facet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.nio.file.Path;

/**
 * Removes one user from a saved joint model or checkpoint: the id leaves the user vocabulary
 * (replaced by a placeholder no valid id can equal, so every other user keeps its row) and the
 * user's own rows (id embedding, taste, collaborative vector) become zero. The file is rewritten
 * atomically. The shared weights the user's events helped train stay until the next training run,
 * which no longer sees the user.
 */
public final class UserErasure {
  /** Placeholder prefix; ids with control characters are rejected at every input, so none can collide. */
  static final String PLACEHOLDER = "\u0000erased-";

  private UserErasure() {}

  /**
   * Rewrites {@code file} without {@code user}.
   *
   * @return true when the file held the user and was rewritten, false when it did not hold the user
   */
  public static boolean erase(Path file, String user) {
    JointModelCheckpoint ck = JointModelCheckpoint.read(file);
    try (JointModel model = ck.model()) {
      int u = model.schema().user(user);
      if (u < 0) {
        return false;
      }
      JointNetwork net = model.network();
      zeroRow(net.getDirectParameters().get("userId"), u);
      if (net.getDirectParameters().contains("userTaste")) {
        zeroRow(net.getDirectParameters().get("userTaste"), u);
      }
      CollaborativeBlock collab = model.collaborative() == null ? null : model.collaborative().withoutUser(u);
      Schema schema = model.schema().withUserRenamed(u, PLACEHOLDER + u);
      NDArray any = net.getDirectParameters().get("userId").getArray();
      JointModel erased = new JointModel(model.config(), schema, any.getManager(), net, model.itemVectorTable(),
          model.trainedItems(), false, collab, model.itemToItem());
      JointModelCheckpoint.write(file, erased, ck.epoch(), ck.bestValidationNdcg());
      return true;
    }
  }

  /** Whether {@code file} starts like a joint-model checkpoint (the magic bytes). */
  public static boolean isCheckpoint(Path file) {
    return JointModelCheckpoint.hasMagic(file);
  }

  private static void zeroRow(Parameter p, int row) {
    NDArray table = p.getArray();
    if (row < table.getShape().get(0)) {
      table.set(new NDIndex(row), 0f);
    }
  }
}
