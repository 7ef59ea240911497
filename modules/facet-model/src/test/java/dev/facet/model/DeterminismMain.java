package dev.facet.model;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Child process of {@link CrossProcessDeterminismTest}: trains the joint model on a synthetic catalog
 * with the seed given as the only argument and prints one line with the best validation NDCG@10 (bits)
 * and a SHA-256 digest of every item vector, so two processes can be compared bit for bit.
 */
public final class DeterminismMain {
  private DeterminismMain() {}

  public static void main(String[] args) throws NoSuchAlgorithmException {
    long seed = Long.parseLong(args[0]);
    RecDataset ds = Synthetic.dataset(3, 200, 160, 16, true, true);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    JointModelConfig cfg = JointModelConfig.builder().dim(64).hidden(128).historyLength(20).batchSize(128)
        .epochs(3).patience(3).seed(seed).device(dev.facet.core.Device.CPU).build();
    JointTrainer trainer = new JointTrainer(cfg);
    try (JointModel model = trainer.train(ds, split)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(4 * model.dim());
      for (String id : model.itemIds()) {
        buf.clear();
        buf.asFloatBuffer().put(model.itemVector(id));
        sha.update(buf.array());
      }
      System.out.println("ndcg=" + Long.toHexString(Double.doubleToLongBits(trainer.stats().bestValidationNdcg10()))
          + " vectors=" + HexFormat.of().formatHex(sha.digest()));
    }
  }
}
