package dev.sagebox.engine.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.text.GrowableFloats;
import dev.sagebox.engine.error.DataFormatError;
import java.io.IOException;

/**
 * Reads JSON instances with a streaming parser (no tree, no boxing). Accepted shapes, each instance a row of
 * numbers ({@code null} = missing):
 * <ul>
 *   <li>{@code {"instances": [row, ...]}} (SageMaker / TensorFlow Serving), also with {@code "inputs"};</li>
 *   <li>a bare list of rows {@code [[...], [...]]}, or one flat row {@code [1, 2, 3]};</li>
 *   <li>a row may be a list, {@code {"features": [...]}} or {@code {"data": {"features": {"values": [...]}}}}.</li>
 * </ul>
 */
final class JsonRowsDecoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private final String source;
  private final int featureCount;
  private final boolean lenient;
  private final String widthHint;
  private final GrowableFloats values;
  private int rows;

  JsonRowsDecoder(String source, InputShape shape, int capacityHint) {
    this.source = source;
    this.featureCount = shape.featureCount();
    this.lenient = shape.lenient();
    this.widthHint = shape.widthHint();
    this.values = new GrowableFloats(capacityHint);
  }

  DenseBatch batch() {
    return new DenseBatch(rows, featureCount, values.toArray());
  }

  /** Reads a whole JSON document (application/json). */
  void readDocument(byte[] body, int start, int end) {
    try (JsonParser p = FACTORY.createParser(body, start, end - start)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return; // only blanks: no rows, as an empty body or {"instances": []}
      }
      if (t == JsonToken.START_OBJECT) {
        readTopObject(p);
      } else if (t == JsonToken.START_ARRAY) {
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
          // [] : a list of no rows
        } else if (first == JsonToken.START_ARRAY || first == JsonToken.START_OBJECT) {
          readRow(p, first);
          readRowsUntilEnd(p);
        } else {
          readRowValues(p, first);
        }
      } else {
        throw error(p, "expected a JSON object such as {\"instances\": [[...], ...]} or a list of rows, found "
            + describe(t));
      }
      if (p.nextToken() != null) {
        throw error(p, "unexpected content after the JSON document");
      }
    } catch (IOException e) {
      throw syntax(e);
    }
  }

  /** Reads one line of JSON Lines: a row ([...] or an instance object). */
  void readLine(byte[] body, int start, int end, long lineNumber) {
    try (JsonParser p = FACTORY.createParser(body, start, end - start)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
        readRow(p, t);
      } else {
        throw new DataFormatError(source, lineNumber, 1, "expected a row [..] or {\"features\": [...]}, found "
            + describe(t));
      }
      if (p.nextToken() != null) {
        throw new DataFormatError(source, lineNumber, 0, "more than one JSON value on the line");
      }
    } catch (DataFormatError e) {
      throw e.line() == lineNumber ? e : e.atLine(lineNumber);
    } catch (IOException e) {
      JsonLocation loc = locationOf(e);
      throw new DataFormatError(source, lineNumber, loc == null ? 0 : loc.getColumnNr(),
          "malformed JSON: " + JsonProblems.describe(e));
    }
  }

  private void readTopObject(JsonParser p) throws IOException {
    boolean found = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (("instances".equals(name) || "inputs".equals(name)) && v == JsonToken.START_ARRAY) {
        readRowsUntilEnd(p);
        found = true;
      } else if ("features".equals(name) || "data".equals(name)) {
        // A single instance object at the top level.
        readInstanceField(p, name, v);
        rowDone(p);
        found = true;
      } else {
        p.skipChildren();
      }
    }
    if (!found) {
      throw error(p, "no \"instances\" list found; send {\"instances\": [[f1, f2, ...], ...]}");
    }
  }

  private void readRowsUntilEnd(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw error(p, "unexpected end of input inside the list of instances");
      }
      readRow(p, t);
    }
  }

  private void readRow(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.START_ARRAY) {
      readRowValues(p, p.nextToken());
    } else if (t == JsonToken.START_OBJECT) {
      boolean found = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (!found && ("features".equals(name) || "data".equals(name))) {
          readInstanceField(p, name, v);
          rowDone(p);
          found = true;
        } else {
          p.skipChildren();
        }
      }
      if (!found) {
        throw error(p, "instance " + (rows + 1) + " is an object without \"features\"; send "
            + "{\"features\": [f1, f2, ...]} or a plain list");
      }
    } else {
      throw error(p, "instance " + (rows + 1) + " must be a list of numbers or {\"features\": [...]}, found "
          + describe(t));
    }
  }

  private void readInstanceField(JsonParser p, String name, JsonToken v) throws IOException {
    if ("features".equals(name)) {
      if (v == JsonToken.START_ARRAY) {
        readValues(p, p.nextToken());
        return;
      }
      if (v == JsonToken.START_OBJECT) {
        readValuesObject(p);
        return;
      }
      throw error(p, "\"features\" must be a list of numbers, found " + describe(v));
    }
    // "data": {"features": {"values": [...]}}
    if (v != JsonToken.START_OBJECT) {
      throw error(p, "\"data\" must be an object {\"features\": {\"values\": [...]}}");
    }
    boolean found = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String n = p.currentName();
      JsonToken inner = p.nextToken();
      if ("features".equals(n) && !found) {
        readInstanceField(p, "features", inner);
        found = true;
      } else {
        p.skipChildren();
      }
    }
    if (!found) {
      throw error(p, "\"data\" has no \"features\"");
    }
  }

  private void readValuesObject(JsonParser p) throws IOException {
    boolean found = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String n = p.currentName();
      JsonToken inner = p.nextToken();
      if ("keys".equals(n)) {
        throw error(p, "sparse instances (\"keys\"/\"shape\") are not supported yet; send dense \"values\"");
      }
      if ("values".equals(n) && inner == JsonToken.START_ARRAY && !found) {
        readValues(p, p.nextToken());
        found = true;
      } else {
        p.skipChildren();
      }
    }
    if (!found) {
      throw error(p, "\"features\" object has no \"values\" list");
    }
  }

  private void readRowValues(JsonParser p, JsonToken first) throws IOException {
    readValues(p, first);
    rowDone(p);
  }

  /** Reads numbers until the closing bracket of the current list; nested lists (an image's rows) are flattened. */
  private void readValues(JsonParser p, JsonToken t) throws IOException {
    int count = readNested(p, t, 0);
    int expectedTotal = (rows + 1) * featureCount;
    if (lenient && count > 0 && count < featureCount) {
      for (int i = count; i < featureCount; i++) {
        values.add(Float.NaN);
      }
    }
    if (values.size() != expectedTotal) {
      int side = (int) Math.round(Math.sqrt(featureCount));
      String shape = side >= 8 && side * side == featureCount ? " (a flat list, or " + side + " rows of " + side
          + " for an image)" : "";
      String hint = count < featureCount && !widthHint.isEmpty() ? " (" + widthHint + ")" : "";
      throw error(p, "instance " + (rows + 1) + " has " + count + " value(s); the model expects " + featureCount
          + shape + hint);
    }
  }

  private int readNested(JsonParser p, JsonToken t, int counted) throws IOException {
    int count = counted;
    while (t != JsonToken.END_ARRAY) {
      if (t == null) {
        throw error(p, "unexpected end of input inside instance " + (rows + 1));
      }
      switch (t) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          values.add(p.getFloatValue());
          count++;
        }
        case VALUE_NULL -> {
          values.add(Float.NaN);
          count++;
        }
        case START_ARRAY -> count = readNested(p, p.nextToken(), count);
        default -> throw error(p, "instance " + (rows + 1) + ", value " + (count + 1) + ": expected a number or "
            + "null, found " + describe(t));
      }
      t = p.nextToken();
    }
    return count;
  }

  private void rowDone(JsonParser p) {
    rows++;
  }

  private DataFormatError error(JsonParser p, String message) {
    JsonLocation loc = p.currentLocation();
    return new DataFormatError(source, loc.getLineNr(), loc.getColumnNr(), message);
  }

  private DataFormatError syntax(IOException e) {
    JsonLocation loc = locationOf(e);
    return new DataFormatError(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
        "malformed JSON: " + JsonProblems.describe(e));
  }

  private static JsonLocation locationOf(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getLocation() : null;
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> t.toString();
    };
  }
}
