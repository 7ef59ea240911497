package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Training must not depend on when the JVM collects garbage: no tensor that libtorch still uses
 * may live in a JVM buffer that a collection can free. Such a tensor once made same-seed trainings
 * differ now and then, and crashed the JVM when the freed memory was reused.
 */
class NativeMemorySafetyTest {
  @Test
  void gradientsDoNotChangeWhenFreedMemoryIsReusedBeforeBackward() throws Exception {
    String quiet = run(false);
    String churned = run(true);
    assertThat(quiet).startsWith("gradients=");
    assertThat(churned).isEqualTo(quiet);
  }

  @Test
  void aSkippedStepLeavesZeroGradientsInLibtorchMemory() throws Exception {
    RecDataset ds = Synthetic.dataset(4, 30, 24, 8, true, true);
    Schema schema = Schema.of(ds);
    JointModelConfig cfg = Synthetic.tinyConfig().build();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      ParameterStore ps = new ParameterStore(m, false);
      int n = 4;
      try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        JointNetwork.ItemOut io = net.items(ps, step.create(new int[] {0, 1, 2, 3}), step.ones(new Shape(n, 1)),
            step.ones(new Shape(n, schema.numAttrTokens())), step.ones(new Shape(n, schema.imageDim)),
            step.ones(new Shape(n, schema.textDim)), true);
        gc.backward(io.vectors().sum());
      }
      float[] before = weights(net);
      assertThat(JointTrainer.update(m, net, Optimizer.adam().build(), 1f, false)).isFalse();
      List<ByteBuffer> refill = GcBeforeBackwardMain.refillFreedMemory();
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray arr = p.getValue().getArray();
        if (arr.hasGradient()) {
          try (NDArray g = arr.getGradient()) {
            assertThat(g.abs().sum().getFloat()).as(p.getKey()).isZero();
          }
        }
      }
      assertThat(weights(net)).containsExactly(before);
      assertThat(refill).hasSize(4000);
    }
  }

  private static float[] weights(JointNetwork net) {
    List<Float> out = new ArrayList<>();
    for (Pair<String, Parameter> p : net.getParameters()) {
      for (float v : p.getValue().getArray().toFloatArray()) {
        out.add(v);
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static String run(boolean churn) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-Xmx1g", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null",
        "-cp", System.getProperty("java.class.path"), GcBeforeBackwardMain.class.getName(), Boolean.toString(churn)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("child (churn=%s) died:%n%s", churn, text).isZero();
    return text.lines().filter(l -> l.startsWith("gradients=")).findFirst().orElse(text);
  }
}
