package dev.facet.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** {@link RecordFields} over one parsed JSON object. JSON types are enforced strictly. */
final class JsonRecordFields implements RecordFields {
  private final ObjectNode node;
  private final ObjectMapper mapper;

  JsonRecordFields(ObjectNode node, ObjectMapper mapper) {
    this.node = node;
    this.mapper = mapper;
  }

  @Override
  public List<String> names() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private JsonNode get(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  @Override
  public String text(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw RecordFields.wrongType(field, "string", kind(v));
    }
    return v.textValue();
  }

  @Override
  public String id(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (!v.isTextual()) {
      throw RecordFields.wrongType(field, "string", kind(v));
    }
    return v.textValue();
  }

  @Override
  public Double number(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw RecordFields.wrongType(field, "number", kind(v));
    }
    return v.doubleValue();
  }

  @Override
  public Long integer(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw RecordFields.wrongType(field, "integer", kind(v));
    }
    return v.longValue();
  }

  @Override
  public Boolean bool(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw RecordFields.wrongType(field, "boolean", kind(v));
    }
    return v.booleanValue();
  }

  @Override
  public List<String> textList(String field) throws FieldException {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.textValue());
    }
    if (!v.isArray()) {
      throw RecordFields.wrongType(field, "array of strings", kind(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw RecordFields.wrongType(field, "array of strings", "array containing " + kind(e));
      }
      out.add(e.textValue());
    }
    return out;
  }

  @Override
  public Object raw(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    // Scalars directly: convertValue is costly and this runs for every timestamp of a big file.
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber()) {
      return v.numberValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return mapper.convertValue(v, Object.class);
  }

  private static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
