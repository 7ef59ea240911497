package dev.facet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code facet} command line. */
@Command(
    name = "facet",
    mixinStandardHelpOptions = true,
    version = "facet 0.1.0",
    description = "Jewelry catalog features, similarity search and recommendations.",
    subcommands = {
      GenerateSamplesCommand.class,
      ValidateCommand.class,
      TrainEncoderCommand.class,
      IngestCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      RecommendCommand.class,
      SimilarCommand.class,
      SearchCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      ServeCommand.class,
      ForgetCommand.class,
      SparkExtractCommand.class,
      SolrLoadCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FacetCli {
  private FacetCli() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    String nativeLog = System.getProperty("facet.native.log");
    if (nativeLog != null && !nativeLog.isBlank()) {
      NativeStderr.redirectTo(java.nio.file.Path.of(nativeLog));
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(FacetCli.class);
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("facet " + cmd.getCommandName() + ": " + ex.getMessage());
      if (Boolean.getBoolean("facet.debug")) {
        ex.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }
}
