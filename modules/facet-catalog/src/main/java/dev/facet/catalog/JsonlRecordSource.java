package dev.facet.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * JSON Lines: one object per line; blank lines are skipped and are not records. A line with
 * invalid UTF-8 is an error naming the field that holds the bad bytes; {@link #fields()} then
 * holds the replacement-decoded record, for its id only.
 */
final class JsonlRecordSource extends LineRecordSource {
  private static final JsonFactory FIELD_LOCATOR = new JsonFactory();

  private final ObjectMapper mapper;

  JsonlRecordSource(Utf8LineReader lines, ObjectMapper mapper) {
    super(lines);
    this.mapper = mapper;
  }

  @Override
  public boolean next() throws IOException {
    while (lines.next()) {
      fields = null;
      error = null;
      if (lines.error() != null) {
        undecodable();
        return true;
      }
      String text = lines.text();
      if (text.isBlank()) {
        continue;
      }
      try {
        JsonNode node = mapper.readTree(text);
        if (node instanceof ObjectNode object) {
          fields = new JsonRecordFields(object, mapper);
        } else {
          error = new FieldException(null, "malformed JSON: expected an object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
      } catch (JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        if (msg.length() > 160) {
          msg = msg.substring(0, 160) + "…";
        }
        error = new FieldException(null, "malformed JSON: " + msg.replace('\n', ' '));
      }
      return true;
    }
    return false;
  }

  /**
   * A line that is not valid UTF-8 is rejected; its replacement-decoded form only serves to name
   * the field holding the bad bytes and, when readable, the record's id.
   */
  private void undecodable() {
    String repaired = lines.repaired();
    if (repaired == null) {
      error = new FieldException(null, lines.error());
      return;
    }
    String field = fieldAt(repaired, lines.errorChar());
    error = new FieldException(field, lines.error() + (field == null ? "" : " (in field '" + field + "')"));
    try {
      if (mapper.readTree(repaired) instanceof ObjectNode object) {
        fields = new JsonRecordFields(object, mapper);
      }
    } catch (JsonProcessingException e) {
      // No id then: the line is rejected for its bytes either way.
    }
  }

  /** The top-level field whose name or value holds character {@code at} of {@code json}, or null. */
  static String fieldAt(String json, int at) {
    try (JsonParser parser = FIELD_LOCATOR.createParser(json)) {
      String field = null;
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && depth == 1) {
          field = parser.currentName();
        }
        // String values are read lazily: without this the location is still at the value's start.
        parser.finishToken();
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (parser.currentLocation().getCharOffset() > at) {
          return field;
        }
      }
    } catch (IOException e) {
      // Broken JSON after the bad bytes: nothing more to learn.
    }
    return null;
  }

  @Override
  public long line() {
    return lines.lineNumber();
  }

}
