package dev.facet.cli.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;

/** A complete response body, built before anything is written so an error can still replace it. */
record Reply(int status, String contentType, byte[] body, String cacheControl) {
  static final String JSON_TYPE = "application/json; charset=utf-8";

  static Reply json(int status, JsonNode node) {
    try {
      return new Reply(status, JSON_TYPE, Views.JSON.writeValueAsBytes(node), "no-store");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply json(JsonNode node) {
    return json(200, node);
  }

  static Reply error(int status, String message) {
    return json(status, Views.error(message));
  }
}
