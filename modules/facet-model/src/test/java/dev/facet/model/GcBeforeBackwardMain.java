package dev.facet.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Child process of {@link NativeMemorySafetyTest}: runs joint-model training steps (the trainer's
 * loss, backward, update) and prints a SHA-256 digest of every gradient. With {@code churn} it
 * collects garbage and refills freed native memory between forward and backward, the window in
 * which a JVM buffer that autograd still needs would be freed and reused; the digest must not
 * change (and the process must not crash).
 */
public final class GcBeforeBackwardMain {
  private GcBeforeBackwardMain() {}

  public static void main(String[] args) throws NoSuchAlgorithmException, InterruptedException {
    boolean churn = Boolean.parseBoolean(args[0]);
    RecDataset ds = Synthetic.dataset(3, 200, 160, 16, true, true);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    JointModelConfig cfg = JointModelConfig.builder().dim(64).hidden(128).historyLength(20).batchSize(128)
        .seed(7).device(dev.facet.core.Device.CPU).build();
    Schema schema = Schema.of(ds);
    TrainingData data = new TrainingData(schema, ds, split.train());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
      net.initItemBias(JointTrainer.logPopularity(data.counts));
      ParameterStore ps = new ParameterStore(manager, false);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
      JointTrainer.SharedItems shared =
          JointTrainer.SharedItems.of(manager, schema, data, BatchLoader.exactCandidates(data, cfg));
      try (BatchLoader loader = new BatchLoader(data, cfg, 11, null)) {
        for (int step = 0; step < 12 && loader.hasNext(); step++) {
          Batch b = loader.next();
          try (NDManager bm = manager.newSubManager();
              GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = JointTrainer.loss(bm, ps, net, cfg, schema, b, shared, true);
            List<ByteBuffer> refill = churn ? refillFreedMemory() : List.of();
            gc.backward(loss);
            sha.update(Float.toString(loss.getFloat()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.lang.ref.Reference.reachabilityFence(refill);
          }
          for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray arr = p.getValue().getArray();
            if (arr.hasGradient()) {
              try (NDArray g = arr.getGradient()) {
                sha.update(g.toByteArray());
              }
            }
          }
          JointTrainer.update(manager, net, adam, cfg.clipNorm(), true);
        }
      }
      if (shared != null) {
        shared.close();
      }
    }
    System.out.println("gradients=" + HexFormat.of().formatHex(sha.digest()));
  }

  /**
   * Frees every unreachable JVM buffer and hands its memory out again, filled with a pattern: small
   * chunks (a wrapped scalar) and a few hundred bytes (a wrapped row of parameters) alike. Keep the
   * returned list reachable for as long as the memory should stay taken.
   */
  static List<ByteBuffer> refillFreedMemory() throws InterruptedException {
    System.gc();
    Thread.sleep(20); // the cleaner thread frees the buffers of collected objects
    List<ByteBuffer> out = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      ByteBuffer bb = ByteBuffer.allocateDirect(i < 2000 ? 4 + (i % 4) * 4 : 4 + (i % 64) * 4);
      while (bb.hasRemaining()) {
        bb.put((byte) 0x7f);
      }
      out.add(bb);
    }
    return out;
  }
}
