package dev.sagebox.engine.onnx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sagebox.engine.error.DataFormatError;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads tensors from JSON with a streaming parser: nested lists of numbers whose nesting gives the shape (they must
 * be rectangular; {@code null} reads as NaN). Accepted documents:
 * <ul>
 *   <li>{@code {"inputs": {"a": [...], "b": [...]}}}: one tensor per named input (TensorFlow Serving's columnar
 *       form, KServe v1);</li>
 *   <li>{@code {"instances": [...]}} or {@code {"inputs": [...]}}: one tensor, the list of instances;</li>
 *   <li>a bare nested list: one tensor.</li>
 * </ul>
 * Values are read as doubles and converted to each input's type afterwards.
 */
public final class TensorJsonReader {
  /** The key of the single tensor of an unnamed document. */
  public static final String UNNAMED = "";
  private static final int MAX_RANK = 32;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_RANK + 4).build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private final String source;

  public TensorJsonReader(String source) {
    this.source = source;
  }

  /**
   * True when the document is {@code {"inputs": {...}}} (named tensors), found by looking at its top-level keys
   * only.
   */
  public static boolean isNamedInputs(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("inputs".equals(name) && v == JsonToken.START_OBJECT) {
          return true;
        }
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads the document: named tensors, or one under {@link #UNNAMED}. */
  public Map<String, Tensor> read(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t = p.nextToken();
      Map<String, Tensor> out = new LinkedHashMap<>();
      if (t == JsonToken.START_ARRAY) {
        out.put(UNNAMED, readTensor(p, "the body"));
      } else if (t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if ("inputs".equals(name) && v == JsonToken.START_OBJECT) {
            readNamed(p, out);
          } else if (("instances".equals(name) || "inputs".equals(name)) && v == JsonToken.START_ARRAY) {
            out.put(UNNAMED, readTensor(p, "\"" + name + "\""));
          } else {
            p.skipChildren();
          }
        }
        if (out.isEmpty()) {
          throw error(p, "no tensor found; send {\"instances\": [...]}, {\"inputs\": {\"name\": [...], ...}} or a "
              + "nested list");
        }
      } else {
        throw error(p, "expected a JSON object such as {\"instances\": [...]} or {\"inputs\": {...}}, or a nested "
            + "list, found " + (t == null ? "nothing" : t.asString()));
      }
      if (p.nextToken() != null) {
        throw error(p, "unexpected content after the JSON document");
      }
      return out;
    } catch (DataFormatError e) {
      throw e;
    } catch (IOException e) {
      JsonLocation loc = e instanceof JsonProcessingException j ? j.getLocation() : null;
      throw new DataFormatError(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
          "malformed JSON: " + dev.sagebox.engine.codec.JsonProblems.describe(e));
    }
  }

  private void readNamed(JsonParser p, Map<String, Tensor> out) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (out.containsKey(name)) {
        throw error(p, "input '" + name + "' appears twice in \"inputs\"");
      }
      if (v == JsonToken.START_ARRAY) {
        out.put(name, readTensor(p, "input '" + name + "'"));
      } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        out.put(name, new Tensor.Doubles(new long[0], new double[] {p.getDoubleValue()}));
      } else {
        throw error(p, "input '" + name + "' must be a (nested) list of numbers, found " + v.asString());
      }
    }
  }

  /** Reads a nested list whose START_ARRAY is the current token. */
  private Tensor readTensor(JsonParser p, String what) throws IOException {
    Collector c = new Collector(what);
    c.readList(p, 0);
    long[] shape = Arrays.copyOf(c.dims, c.leafDepth < 0 ? c.deepest : c.leafDepth);
    return new Tensor.Doubles(shape, Arrays.copyOf(c.values, c.size));
  }

  private DataFormatError error(JsonParser p, String message) {
    JsonLocation loc = p.currentLocation();
    return new DataFormatError(source, loc.getLineNr(), loc.getColumnNr(), message);
  }

  /** Values in C order plus the length seen at each depth (every list at a depth must have the same length). */
  private final class Collector {
    final String what;
    final long[] dims = new long[MAX_RANK + 1];
    int deepest;
    int leafDepth = -1;
    double[] values = new double[256];
    int size;

    Collector(String what) {
      this.what = what;
      Arrays.fill(dims, -1);
    }

    void readList(JsonParser p, int depth) throws IOException {
      if (depth >= MAX_RANK) {
        throw error(p, what + " is nested more than " + MAX_RANK + " deep");
      }
      long count = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw error(p, "unexpected end of input inside " + what);
        }
        switch (t) {
          case START_ARRAY -> {
            leafAt(p, depth + 1, false);
            readList(p, depth + 1);
          }
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_NULL -> {
            leafAt(p, depth + 1, true);
            add(t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue());
          }
          default -> throw error(p, what + ": expected a number, null or a list, found " + t.asString());
        }
        count++;
      }
      deepest = Math.max(deepest, depth + 1);
      if (dims[depth] < 0) {
        dims[depth] = count;
      } else if (dims[depth] != count) {
        throw error(p, what + " is ragged: a list at depth " + (depth + 1) + " has " + count + " elements, an "
            + "earlier one " + dims[depth] + "; tensors must be rectangular");
      }
    }

    /** Numbers must all sit at the same depth. */
    private void leafAt(JsonParser p, int depth, boolean number) {
      if (number) {
        if (leafDepth < 0) {
          leafDepth = depth;
        } else if (leafDepth != depth) {
          throw error(p, what + " is ragged: numbers at depth " + depth + " and " + leafDepth);
        }
      } else if (leafDepth >= 0 && depth >= leafDepth) {
        throw error(p, what + " is ragged: a list where a number was expected (depth " + depth + ")");
      }
    }

    private void add(double v) {
      if (size == values.length) {
        if (size >= Integer.MAX_VALUE - 16) {
          throw new DataFormatError(source, 0, 0, what + " holds too many values");
        }
        values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L));
      }
      values[size++] = v;
    }
  }
}
