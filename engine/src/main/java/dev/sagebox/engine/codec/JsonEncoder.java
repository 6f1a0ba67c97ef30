package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code application/json}: {@code {"predictions": [{"score": 0.97}, ...]}}; with {@code lines} true, JSON Lines
 * ({@code application/jsonlines}): one such object per line. A value that is not available is {@code null}.
 */
public final class JsonEncoder implements ResponseEncoder {
  private final boolean lines;

  public JsonEncoder(boolean lines) {
    this.lines = lines;
  }

  @Override
  public MediaType mediaType() {
    return lines ? MediaType.JSON_LINES : MediaType.JSON;
  }

  @Override
  public byte[] encode(Predictions predictions) {
    Map<String, Column> cols = predictions.columns();
    String[] keys = new String[cols.size()];
    Column[] columns = new Column[cols.size()];
    int i = 0;
    for (Map.Entry<String, Column> e : cols.entrySet()) {
      keys[i] = "\"" + e.getKey() + "\":";
      columns[i++] = e.getValue();
    }
    StringBuilder sb = new StringBuilder(predictions.rows() * 24 + 20);
    if (!lines) {
      sb.append("{\"predictions\":[");
    }
    for (int r = 0; r < predictions.rows(); r++) {
      if (r > 0 && !lines) {
        sb.append(',');
      }
      sb.append('{');
      for (int c = 0; c < columns.length; c++) {
        if (c > 0) {
          sb.append(',');
        }
        sb.append(keys[c]);
        write(sb, columns[c], r);
      }
      sb.append('}');
      if (lines) {
        sb.append('\n');
      }
    }
    if (!lines) {
      sb.append("]}");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder sb, Column column, int r) {
    if (column instanceof Column.Scalars s) {
      OutputWriter.number(sb, s.values()[r], "null");
    } else if (column instanceof Column.Integers n) {
      sb.append(n.values()[r]);
    } else if (column instanceof Column.Vectors v) {
      float[] row = v.values()[r];
      sb.append('[');
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          sb.append(',');
        }
        OutputWriter.number(sb, row[k], "null");
      }
      sb.append(']');
    } else if (column instanceof Column.IntVectors v) {
      int[] row = v.values()[r];
      sb.append('[');
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          sb.append(',');
        }
        sb.append(row[k]);
      }
      sb.append(']');
    }
  }
}
