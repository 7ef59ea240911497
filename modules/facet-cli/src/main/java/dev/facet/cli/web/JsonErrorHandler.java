package dev.facet.cli.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches {@link FacetHandler} (malformed or ambiguous URIs,
 * oversized headers, bad framing): the same {@code {"error": ...}} shape as the API, with the status
 * reason only, never a stack trace or the offending input.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    String message = HttpStatus.getMessage(status);
    Object reason = request.getAttribute(ERROR_MESSAGE);
    if (status < 500 && reason instanceof String s && !s.isBlank() && s.length() < 200) {
      message = s; // Jetty's own reasons ("Ambiguous URI path separator") name no request data.
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.JSON_TYPE);
    response.write(true, ByteBuffer.wrap(Reply.error(status, message).body()), callback);
    return true;
  }
}
