package dev.sagebox.engine.onnx;

import dev.sagebox.engine.codec.NpyWriter;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.NotAcceptableError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a tensor model's outputs:
 * <ul>
 *   <li>{@code application/json}: {@code {"predictions": nested list}} of the one output answered, or, when outputs
 *       were selected by name, {@code {"outputs": {"name": nested list, ...}}};</li>
 *   <li>{@code text/csv}: one line per first-axis row, the row's values flattened in C order;</li>
 *   <li>{@code application/x-npy}: the output as a {@code .npy} array of its own type.</li>
 * </ul>
 * CSV and NPY carry one output: asking them for several is a 406.
 */
public final class TensorResponseEncoder {
  public static final List<String> PRODUCIBLE = List.of(MediaType.JSON.essence(), MediaType.CSV.essence(),
      MediaType.NPY.essence());

  private TensorResponseEncoder() {}

  /**
   * @param essence one of {@link #PRODUCIBLE}
   * @param byName true when the caller selected outputs by name (JSON then names them)
   */
  public static byte[] encode(String essence, Map<String, Tensor> outputs, boolean byName) {
    if (essence.equals(MediaType.JSON.essence())) {
      StringBuilder sb = new StringBuilder(64 + 12 * outputs.values().stream().mapToInt(Tensor::size).sum());
      if (byName) {
        sb.append("{\"outputs\":{");
        boolean first = true;
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
          sb.append(first ? "" : ",");
          quote(sb, e.getKey());
          sb.append(':');
          nested(sb, e.getValue());
          first = false;
        }
        sb.append("}}\n");
      } else {
        sb.append("{\"predictions\":");
        nested(sb, outputs.values().iterator().next());
        sb.append("}\n");
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (outputs.size() > 1) {
      throw new NotAcceptableError(essence + " (it carries one output; " + outputs.size() + " were selected: "
          + outputs.keySet() + ")", List.of(MediaType.JSON.essence()));
    }
    Tensor t = outputs.values().iterator().next();
    if (essence.equals(MediaType.NPY.essence())) {
      return NpyWriter.write(t);
    }
    return csv(t).getBytes(StandardCharsets.UTF_8);
  }

  private static String csv(Tensor t) {
    long[] shape = t.shape();
    int rows = shape.length == 0 ? 1 : (int) shape[0];
    int per = rows == 0 ? 0 : t.size() / rows;
    StringBuilder sb = new StringBuilder(12 * t.size() + rows);
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < per; k++) {
        if (k > 0) {
          sb.append(',');
        }
        number(sb, t, r * per + k, "nan");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void nested(StringBuilder sb, Tensor t) {
    long[] shape = t.shape();
    if (shape.length == 0) {
      number(sb, t, 0, "null");
      return;
    }
    nested(sb, t, shape, 0, 0);
  }

  /** Writes the list at {@code axis} whose first value has index {@code offset}; returns the next index. */
  private static int nested(StringBuilder sb, Tensor t, long[] shape, int axis, int offset) {
    sb.append('[');
    int at = offset;
    for (long i = 0; i < shape[axis]; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (axis == shape.length - 1) {
        number(sb, t, at++, "null");
      } else {
        at = nested(sb, t, shape, axis + 1, at);
      }
    }
    sb.append(']');
    return at;
  }

  private static void number(StringBuilder sb, Tensor t, int i, String nanText) {
    if (t instanceof Tensor.Floats f) {
      float v = f.values()[i];
      if (Float.isNaN(v)) {
        sb.append(nanText);
      } else if (Float.isInfinite(v)) {
        sb.append(v > 0 ? "Infinity" : "-Infinity");
      } else {
        sb.append(v);
      }
    } else if (t instanceof Tensor.Doubles d) {
      double v = d.values()[i];
      if (Double.isNaN(v)) {
        sb.append(nanText);
      } else if (Double.isInfinite(v)) {
        sb.append(v > 0 ? "Infinity" : "-Infinity");
      } else {
        sb.append(v);
      }
    } else if (t instanceof Tensor.Ints n) {
      sb.append(n.values()[i]);
    } else {
      sb.append(((Tensor.Longs) t).values()[i]);
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
