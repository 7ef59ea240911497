package dev.facet.cli.web;

/**
 * A request the server refuses, with the HTTP status and a message safe to show the client. Thrown
 * anywhere in request handling and turned into {@code {"error": message}} by {@link FacetHandler}.
 */
final class HttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  HttpException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static HttpException badRequest(String message) {
    return new HttpException(400, message);
  }

  static HttpException notFound(String message) {
    return new HttpException(404, message);
  }
}
