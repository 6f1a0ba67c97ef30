package dev.sagebox.container.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hyperparameters.json}: a JSON object of strings. Each value is decoded the way SageMaker's toolkit does:
 * a JSON-encoded string ({@code "\"adam\""}) is unwrapped, JSON numbers and booleans become their text, lists stay
 * JSON text, anything else is kept as the raw string. Python's {@code True}/{@code False} are left for the typed
 * parsers, which accept them.
 */
public final class HyperparameterFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HyperparameterFile() {}

  /** Reads and decodes the file; a missing file means no hyperparameters. */
  public static Map<String, String> read(Path file) {
    JsonNode root = ConfigFiles.readObject(file);
    return root == null ? Map.of() : decode(root, file.toString());
  }

  static Map<String, String> decode(JsonNode root, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String text;
      if (v.isTextual()) {
        text = decodeValue(v.asText());
      } else if (v.isNumber() || v.isBoolean()) {
        text = v.asText();
      } else if (v.isNull()) {
        throw new UserError(name + ": hyperparameter '" + e.getKey() + "' is null; give it a value or leave it out");
      } else {
        text = v.toString();
      }
      out.put(e.getKey(), text);
    }
    return out;
  }

  /** Decodes one string value: JSON if it parses as JSON, otherwise the raw text. */
  public static String decodeValue(String raw) {
    String t = raw.strip();
    if (t.isEmpty()) {
      return t;
    }
    char c = t.charAt(0);
    if (c == '"' || c == '[' || c == '{') {
      try {
        JsonNode n = JSON.readTree(t);
        return n.isTextual() ? n.asText() : n.toString();
      } catch (java.io.IOException e) {
        return raw;
      }
    }
    return raw;
  }
}
