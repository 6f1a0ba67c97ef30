package dev.sagebox.container.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.onnx.ElementType;
import dev.sagebox.engine.onnx.Tensor;
import java.util.List;

/**
 * The Open Inference Protocol's JSON tensors ({@code name}, {@code shape}, {@code datatype}, {@code data}, row-major,
 * flat or nested) read into Sagebox tensors and written back. Datatypes FP32, FP64, INT32, INT64 as numbers; BYTES
 * as strings (for Sagebox's table models: rows of CSV).
 */
final class OipTensors {
  static final List<String> DATATYPES = List.of("FP32", "FP64", "INT32", "INT64", "BYTES");
  private static final long MAX_VALUES = 100_000_000L;

  private OipTensors() {}

  /** One input of an infer request. */
  record Input(String name, long[] shape, String datatype, JsonNode data) {
    int size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return (int) n;
    }
  }

  static Input input(JsonNode node, int index) {
    String where = "inputs[" + index + "]";
    if (node == null || !node.isObject()) {
      throw new UserError(where + " must be an object with name, shape, datatype and data");
    }
    String name = node.path("name").isTextual() ? node.get("name").asText() : null;
    if (name == null) {
      throw new UserError(where + ".name is missing or not a string");
    }
    where = "input '" + ClientText.printable(name) + "'";
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new UserError(where + ": shape is missing or not an array of integers");
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw new UserError(where + ": shape[" + i + "] = " + d + " is not a non-negative integer");
      }
      shape[i] = d.asLong();
      long dim = Math.max(1, shape[i]);
      if (count > MAX_VALUES / dim) { // count * dim > MAX_VALUES, without overflowing
        throw new UserError(where + ": shape " + shapeNode + " holds more than " + MAX_VALUES
            + " values");
      }
      count *= dim;
    }
    String datatype = node.path("datatype").asText("");
    if (!DATATYPES.contains(datatype)) {
      throw new UserError(where + ": datatype '" + ClientText.printable(datatype) + "' is not supported; accepted: "
          + String.join(", ", DATATYPES));
    }
    JsonNode data = node.get("data");
    if (data == null || !data.isArray()) {
      throw new UserError(where + ": data is missing or not an array");
    }
    Input in = new Input(name, shape, datatype, data);
    int flat = countLeaves(data);
    if (flat != in.size()) {
      throw new UserError(where + ": shape " + java.util.Arrays.toString(shape) + " needs " + in.size()
          + " values but data holds " + flat);
    }
    return in;
  }

  private static int countLeaves(JsonNode data) {
    if (!data.isArray()) {
      return 1;
    }
    int n = 0;
    for (JsonNode c : data) {
      n += countLeaves(c);
    }
    return n;
  }

  /** The numbers of {@code in} as floats (row-major). */
  static float[] floats(Input in) {
    float[] out = new float[in.size()];
    int[] at = {0};
    switch (in.datatype()) {
      case "INT32" -> visitWhole(in, in.data(), Integer.MIN_VALUE, Integer.MAX_VALUE, (v, i) -> out[i] = v, at);
      case "INT64" -> visitWhole(in, in.data(), Long.MIN_VALUE, Long.MAX_VALUE, (v, i) -> out[i] = v, at);
      default -> visit(in, in.data(), (v, i) -> out[i] = (float) v, at);
    }
    return out;
  }

  /** The strings of a BYTES input. */
  static List<String> strings(Input in) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    collectStrings(in, in.data(), out);
    return out;
  }

  private static void collectStrings(Input in, JsonNode node, List<String> out) {
    if (node.isArray()) {
      node.forEach(c -> collectStrings(in, c, out));
    } else if (node.isTextual()) {
      out.add(node.asText());
    } else {
      throw new UserError("input '" + ClientText.printable(in.name()) + "': BYTES data must be strings, found "
          + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** {@code in} as a tensor of its datatype. */
  static Tensor tensor(Input in) {
    int n = in.size();
    int[] at = {0};
    return switch (in.datatype()) {
      case "FP32" -> new Tensor.Floats(in.shape(), floats(in));
      case "FP64" -> {
        double[] v = new double[n];
        visit(in, in.data(), (x, i) -> v[i] = x, at);
        yield new Tensor.Doubles(in.shape(), v);
      }
      case "INT32" -> {
        int[] v = new int[n];
        visitWhole(in, in.data(), Integer.MIN_VALUE, Integer.MAX_VALUE, (x, i) -> v[i] = (int) x, at);
        yield new Tensor.Ints(in.shape(), v);
      }
      case "INT64" -> {
        long[] v = new long[n];
        visitWhole(in, in.data(), Long.MIN_VALUE, Long.MAX_VALUE, (x, i) -> v[i] = x, at);
        yield new Tensor.Longs(in.shape(), v);
      }
      default -> throw new UserError("input '" + ClientText.printable(in.name()) + "': datatype " + in.datatype()
          + " is not accepted by this model; accepted: FP32, FP64, INT32, INT64");
    };
  }

  /** Value {@code index} (0-based) of {@code in} is not a whole number of the input's integer datatype. */
  private static UserError notWhole(Input in, String text, int index, long min, long max) {
    return new UserError("input '" + ClientText.printable(in.name()) + "': value " + (index + 1) + " is "
        + ClientText.printable(text) + ", not an " + in.datatype() + " (a whole number in [" + min + ", " + max
        + "]); send it as FP32 or FP64 to pass fractions");
  }

  private interface Sink {
    void put(double value, int index);
  }

  private interface WholeSink {
    void put(long value, int index);
  }

  private static void visit(Input in, JsonNode node, Sink sink, int[] at) {
    if (node.isArray()) {
      for (JsonNode c : node) {
        visit(in, c, sink, at);
      }
      return;
    }
    sink.put(number(in, node, at[0]).asDouble(), at[0]++);
  }

  /** Whole numbers within [min, max], read from the JSON number itself (a double would round past 2^53). */
  private static void visitWhole(Input in, JsonNode node, long min, long max, WholeSink sink, int[] at) {
    if (node.isArray()) {
      for (JsonNode c : node) {
        visitWhole(in, c, min, max, sink, at);
      }
      return;
    }
    JsonNode n = number(in, node, at[0]);
    long v;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      v = n.longValue();
    } else if (!n.isIntegralNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 0x1p53) {
      v = (long) n.asDouble();
    } else {
      throw notWhole(in, n.asText(), at[0], min, max);
    }
    if (v < min || v > max) {
      throw notWhole(in, n.asText(), at[0], min, max);
    }
    sink.put(v, at[0]++);
  }

  private static JsonNode number(Input in, JsonNode node, int index) {
    if (!node.isNumber()) {
      throw new UserError("input '" + ClientText.printable(in.name()) + "': value " + (index + 1) + " is "
          + ClientText.printable(node.toString()) + ", not a number (datatype " + in.datatype() + ")");
    }
    return node;
  }

  /** An output tensor in the protocol's form (flat data). */
  static ObjectNode output(ObjectNode out, String name, Tensor t) {
    out.put("name", name);
    out.put("datatype", datatype(t.type()));
    ArrayNode shape = out.putArray("shape");
    for (long d : t.shape()) {
      shape.add(d);
    }
    ArrayNode data = out.putArray("data");
    int n = t.size();
    if (t instanceof Tensor.Floats f) {
      for (float v : f.values()) {
        data.add(v);
      }
    } else if (t instanceof Tensor.Ints i) {
      for (int v : i.values()) {
        data.add(v);
      }
    } else if (t instanceof Tensor.Longs l) {
      for (long v : l.values()) {
        data.add(v);
      }
    } else {
      for (int k = 0; k < n; k++) {
        data.add(t.valueAt(k));
      }
    }
    return out;
  }

  static String datatype(ElementType t) {
    return switch (t) {
      case FLOAT32 -> "FP32";
      case FLOAT64 -> "FP64";
      case INT32 -> "INT32";
      case INT64 -> "INT64";
    };
  }

  /** A table model's output column as a tensor: [N] or [N, K]. */
  static Tensor tensor(Column c) {
    if (c instanceof Column.Scalars s) {
      return new Tensor.Floats(new long[] {s.values().length}, s.values());
    }
    if (c instanceof Column.Integers i) {
      return new Tensor.Ints(new long[] {i.values().length}, i.values());
    }
    if (c instanceof Column.Vectors v) {
      int k = v.values().length == 0 ? 0 : v.values()[0].length;
      float[] flat = new float[v.values().length * k];
      for (int r = 0; r < v.values().length; r++) {
        if (v.values()[r].length != k) {
          throw new UserError("output rows of different lengths cannot form one tensor");
        }
        System.arraycopy(v.values()[r], 0, flat, r * k, k);
      }
      return new Tensor.Floats(new long[] {v.values().length, k}, flat);
    }
    Column.IntVectors iv = (Column.IntVectors) c;
    int k = iv.values().length == 0 ? 0 : iv.values()[0].length;
    int[] flat = new int[iv.values().length * k];
    for (int r = 0; r < iv.values().length; r++) {
      if (iv.values()[r].length != k) {
        throw new UserError("output rows of different lengths cannot form one tensor");
      }
      System.arraycopy(iv.values()[r], 0, flat, r * k, k);
    }
    return new Tensor.Ints(new long[] {iv.values().length, k}, flat);
  }
}
