package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The one JSON mapper, and awsJson1.1's conventions: timestamps are epoch seconds as numbers. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** awsJson1.1 timestamp: epoch seconds with milliseconds, as a number. */
  public static double epochSeconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  public static double now() {
    return epochSeconds(Instant.now());
  }

  /** The text of a required string member, or a ValidationException naming it. */
  public static String requiredText(JsonNode node, String member, String where) {
    JsonNode v = node == null ? null : node.get(member);
    if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
      throw ApiException.validation("1 validation error detected: Value null at '" + where + member
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v.asText();
  }

  /** A required object member. */
  public static JsonNode requiredObject(JsonNode node, String member, String where) {
    JsonNode v = node == null ? null : node.get(member);
    if (v == null || !v.isObject()) {
      throw ApiException.validation("1 validation error detected: Value null at '" + where + member
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  /** A required array member with at least one element. */
  public static JsonNode requiredArray(JsonNode node, String member, String where) {
    JsonNode v = node == null ? null : node.get(member);
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw ApiException.validation("1 validation error detected: Value at '" + where + member
          + "' failed to satisfy constraint: Member must be a list with at least 1 element");
    }
    return v;
  }

  /** An integer member within [min, max], or {@code fallback} when absent. */
  public static int intIn(JsonNode node, String member, int fallback, int min, int max) {
    JsonNode v = node == null ? null : node.get(member);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw ApiException.validation("1 validation error detected: Value '" + v + "' at '" + member
          + "' failed to satisfy constraint: Member must have value between " + min + " and " + max);
    }
    return v.asInt();
  }
}
