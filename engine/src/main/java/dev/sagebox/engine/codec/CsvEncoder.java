package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.nio.charset.StandardCharsets;

/**
 * {@code text/csv}: one line per record. By default a list output is written as comma-separated values (as
 * SageMaker's XGBoost does for softprob); with selected outputs, values follow the selected keys and a list is one
 * quoted field such as {@code "[0.1, 0.9]"}.
 */
public final class CsvEncoder implements ResponseEncoder {

  @Override
  public MediaType mediaType() {
    return MediaType.CSV;
  }

  @Override
  public byte[] encode(Predictions predictions) {
    StringBuilder sb = new StringBuilder(predictions.rows() * 12);
    Column[] columns = predictions.columns().values().toArray(new Column[0]);
    for (int r = 0; r < predictions.rows(); r++) {
      for (int c = 0; c < columns.length; c++) {
        if (c > 0) {
          sb.append(',');
        }
        write(sb, columns[c], r, predictions.selected());
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** How a list value is written inside a CSV line. */
  enum ListStyle {
    /** {@code 0.1,0.9}: the values as fields of the line. */
    FIELDS,
    /** {@code "[0.1, 0.9]"}: one quoted field, as SageMaker's selectable outputs. */
    QUOTED_LIST,
    /** {@code [0.1, 0.9]}: as Python prints a list (SageMaker's batch output). */
    LIST
  }

  private static void write(StringBuilder sb, Column column, int r, boolean quoteLists) {
    writeValue(sb, column, r, quoteLists ? ListStyle.QUOTED_LIST : ListStyle.FIELDS);
  }

  /** Writes row {@code r} of {@code column}: a number, or a list in the given style. */
  static void writeValue(StringBuilder sb, Column column, int r, ListStyle style) {
    String open = switch (style) {
      case FIELDS -> "";
      case QUOTED_LIST -> "\"[";
      case LIST -> "[";
    };
    String close = switch (style) {
      case FIELDS -> "";
      case QUOTED_LIST -> "]\"";
      case LIST -> "]";
    };
    String separator = style == ListStyle.FIELDS ? "," : ", ";
    if (column instanceof Column.Scalars s) {
      OutputWriter.number(sb, s.values()[r], "nan");
    } else if (column instanceof Column.Integers i) {
      sb.append(i.values()[r]);
    } else if (column instanceof Column.Vectors v) {
      float[] row = v.values()[r];
      sb.append(open);
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          sb.append(separator);
        }
        OutputWriter.number(sb, row[k], "nan");
      }
      sb.append(close);
    } else if (column instanceof Column.IntVectors v) {
      int[] row = v.values()[r];
      sb.append(open);
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          sb.append(separator);
        }
        sb.append(row[k]);
      }
      sb.append(close);
    }
  }
}
