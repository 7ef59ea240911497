package dev.facet.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test's {@code main} class in its own JVM on the test class path, so the test can SIGKILL it. */
final class ChildJvm {
  private ChildJvm() {}

  /** The child's stderr goes to its stdout, which goes to {@code output}. */
  static Process start(Class<?> main, ProcessBuilder.Redirect output, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Dguice_bytecode_gen_option=DISABLED", "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output).start();
  }
}
