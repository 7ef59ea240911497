package dev.facet.cli.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.engine.Facet;
import dev.facet.engine.UserEraser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code DELETE /api/users/{id}}: erases a person from the serving engine and its work directory. */
final class ErasureApi {
  private static final Logger LOG = LoggerFactory.getLogger(ErasureApi.class);

  private ErasureApi() {}

  static Reply forget(EngineState state, String user) {
    if (user.isBlank() || user.length() > Api.MAX_ID_LENGTH || user.contains("/")) {
      throw HttpException.badRequest("give one user id: DELETE /api/users/{id}");
    }
    Facet facet = state.facetOr503();
    UserEraser.Report report = UserEraser.of(facet).forget(user);
    if (!report.complete()) {
      // The paths are the operator's, not the client's business; the id stays out of the log.
      LOG.warn("erasure left the id in {} files: {}", report.remaining().size(), report.remaining());
    }
    ObjectNode node = Views.JSON.createObjectNode().put("status", report.complete() ? "erased" : "incomplete")
        .put("model_files", report.modelFiles().size()).put("text_files", report.textFiles().size())
        .put("files_still_holding_the_id", report.remaining().size());
    return Reply.json(report.complete() ? 200 : 500, node);
  }
}
