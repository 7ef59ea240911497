package dev.facet.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** JSON Lines: one object per line; blank lines are skipped and are not records. */
final class JsonlRecordSource implements RecordSource {
  private final Utf8LineReader lines;
  private final ObjectMapper mapper;
  private RecordFields fields;
  private FieldException error;

  JsonlRecordSource(Utf8LineReader lines, ObjectMapper mapper) {
    this.lines = lines;
    this.mapper = mapper;
  }

  @Override
  public boolean next() throws IOException {
    while (lines.next()) {
      fields = null;
      error = null;
      if (lines.error() != null) {
        error = new FieldException(null, lines.error());
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

  @Override
  public long line() {
    return lines.lineNumber();
  }

  @Override
  public RecordFields fields() {
    return fields;
  }

  @Override
  public FieldException error() {
    return error;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
