package dev.facet.cli;

import dev.facet.engine.Facet;
import dev.facet.engine.UserEraser;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet forget}: erases one person from a work directory. */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = "Erase a user from the work directory: live events, behaviour, profile, the user's rows in the model "
        + "and in every checkpoint, and every line naming them in rejects, reports and logs. The id is kept only as a "
        + "keyed hash so a later ingest of a catalog that still holds the user does not bring them back. "
        + "Stop a running 'facet serve' on the same work directory first, or use DELETE /api/users/{id} on it.")
final class ForgetCommand implements Callable<Integer> {
  @Option(names = "--user", required = true, description = "The user id to erase.")
  String user;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    try (Facet facet = common.open(null)) {
      UserEraser.Report report = UserEraser.of(facet).forget(user.strip());
      System.out.printf("forgot the user: %d model files and %d text files rewritten%n", report.modelFiles().size(),
          report.textFiles().size());
      if (!report.complete()) {
        System.err.println("facet forget: these files still hold the id's bytes (not written by Facet, or in a format "
            + "it cannot rewrite); remove them by hand:");
        for (Path p : report.remaining()) {
          System.err.println("  " + p);
        }
        return 4;
      }
      return 0;
    }
  }
}
