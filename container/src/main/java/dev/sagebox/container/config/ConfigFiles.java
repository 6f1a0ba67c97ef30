package dev.sagebox.container.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a JSON config file into a tree, with errors that name the file, line and column. */
final class ConfigFiles {
  /** Strict: text after the object, or a key given twice, is an error, not silently dropped or last-wins. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigFiles() {}

  /** The file's JSON object, or {@code null} when the file does not exist. */
  static JsonNode readObject(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new PlatformError("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parseObject(bytes, file.toString());
  }

  static JsonNode parseObject(byte[] bytes, String name) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new UserError(name + (loc == null ? "" : ", line " + loc.getLineNr() + ", column " + loc.getColumnNr())
          + ": not valid JSON: " + dev.sagebox.engine.codec.JsonProblems.describe(e));
    } catch (IOException e) {
      throw new PlatformError("cannot parse " + name + ": " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new UserError(name + " is empty; expected a JSON object");
    }
    if (!node.isObject()) {
      throw new UserError(name + ": expected a JSON object {...}, found " + node.getNodeType().toString()
          .toLowerCase(java.util.Locale.ROOT));
    }
    return node;
  }

  static String text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
