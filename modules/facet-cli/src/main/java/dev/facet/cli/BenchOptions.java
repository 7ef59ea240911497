package dev.facet.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the bench commands share: where Facet's files are, and {@code --json FILE} for the results. */
final class BenchOptions {
  @Option(names = "--json", description = "Where to write the JSON.")
  Path json;

  @Mixin
  CommonOptions common;

  /** Prints the results as JSON and writes them to {@code --json} when given. */
  void write(Object tree) throws IOException {
    BenchCommand.writeJson(tree, json);
  }
}
