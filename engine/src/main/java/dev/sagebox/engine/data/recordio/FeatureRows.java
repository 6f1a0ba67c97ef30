package dev.sagebox.engine.data.recordio;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.text.GrowableFloats;
import dev.sagebox.engine.data.text.GrowableInts;
import java.util.Arrays;

/**
 * Assembles the feature tensors of successive records into rows: one row-major array while every row is dense,
 * compressed sparse rows (CSR) from the first sparse row on. Dense rows met in CSR mode (or before it) become rows
 * of explicit entries, which keeps their meaning: every value present, NaN missing.
 *
 * <p>A tensor is sparse when it has keys, or when it has neither keys nor values but a shape (how SageMaker's
 * writer stores an all-zero sparse row). Row widths: a dense row is as wide as its value count; a sparse row as its
 * shape's element count (shape[0] for a vector). With a model width (requests) a dense row must match it exactly and
 * a sparse row may be narrower; without one (training) every row must be as wide as the first.
 */
final class FeatureRows {
  private final int modelWidth;
  private final boolean padNarrowRows;
  private int width = -1;
  private long widthRecord;
  private String widthText;
  private int rows;
  private final GrowableFloats values;
  private GrowableInts indices;
  private GrowableInts rowEnds;

  /**
   * @param modelWidth the model's feature count (requests), or -1 to let the first row set the width (training)
   * @param valuesHint expected number of stored values (sizes the arrays; a wrong guess only costs copies)
   */
  FeatureRows(int modelWidth, int valuesHint) {
    this(modelWidth, valuesHint, false);
  }

  /** @param padNarrowRows requests only: a dense row narrower than the model is padded with missing values */
  FeatureRows(int modelWidth, int valuesHint, boolean padNarrowRows) {
    this.modelWidth = modelWidth;
    this.padNarrowRows = padNarrowRows;
    this.values = new GrowableFloats(valuesHint);
  }

  int rows() {
    return rows;
  }

  void add(TensorBuffer t, RecordIOReader at) {
    int valueCount = t.valueCount;
    int keyCount = t.keyCount;
    long elements = t.elements(at);
    if (valueCount == 0 && keyCount == 0 && elements <= 0) {
      throw at.error(t.field + " is empty: no values, no keys" + (elements == 0 ? " and a shape of 0 elements"
          : ", no shape") + "; a row needs at least one feature");
    }
    if (keyCount > 0 || (valueCount == 0 && elements > 0)) {
      addSparse(t, at, valueCount, keyCount, elements);
    } else {
      if (elements >= 0 && elements != valueCount) {
        throw at.error(t.field + " is dense (no keys) with " + valueCount + " value(s), but its shape "
            + t.shapeText() + " describes " + elements + " elements; a dense tensor lists every element (or set "
            + "keys to make it sparse)");
      }
      int padding = padNarrowRows && modelWidth > valueCount ? modelWidth - valueCount : 0;
      checkWidth(valueCount + padding, false, t, at);
      if (indices != null) {
        for (int c = 0; c < valueCount + padding; c++) {
          indices.add(c);
        }
      }
      appendValues(t);
      for (int c = 0; c < padding; c++) {
        values.add(Float.NaN);
      }
    }
    rows++;
    if (rowEnds != null) {
      rowEnds.add(values.size());
    }
  }

  private void addSparse(TensorBuffer t, RecordIOReader at, int valueCount, int keyCount, long elements) {
    if (elements < 0) {
      throw at.error(t.field + " is sparse (" + keyCount + " keys) but has no shape; a sparse tensor needs "
          + "shape = [number of features]");
    }
    if (keyCount != valueCount) {
      throw at.error(t.field + " has " + keyCount + " keys but " + valueCount + " values; a sparse tensor needs "
          + "one key (flat index) per value");
    }
    int rowWidth = (int) elements;
    checkWidth(rowWidth, true, t, at);
    if (indices == null) {
      toSparse();
    }
    int start = values.size();
    long previous = -1;
    boolean increasing = true;
    for (int i = 0; i < keyCount; i++) {
      long k = t.keys[i];
      if (k < 0 || k >= rowWidth) {
        throw at.error(t.field + " key " + Long.toUnsignedString(k) + " (value " + (i + 1) + ") is outside shape "
            + t.shapeText() + "; keys are flat indices from 0 to " + (rowWidth - 1));
      }
      increasing &= k > previous;
      previous = k;
      indices.add((int) k);
    }
    appendValues(t);
    if (!increasing) {
      sortRow(start, values.size(), t, at);
    }
  }

  private void appendValues(TensorBuffer t) {
    float[] v = t.values;
    for (int i = 0, n = t.valueCount; i < n; i++) {
      values.add(v[i]);
    }
  }

  private void checkWidth(int rowWidth, boolean sparse, TensorBuffer t, RecordIOReader at) {
    if (modelWidth >= 0) {
      if (sparse ? rowWidth > modelWidth : rowWidth != modelWidth) {
        throw at.error(t.field + " has " + describe(rowWidth, sparse, t) + "; the model expects " + modelWidth
            + " features" + (sparse ? " (sparse rows may be narrower, not wider)" : ""));
      }
      width = modelWidth;
    } else if (width < 0) {
      width = rowWidth;
      widthRecord = at.recordNumber();
      widthText = describe(rowWidth, sparse, t);
    } else if (rowWidth != width) {
      throw at.error(t.field + " has " + describe(rowWidth, sparse, t) + " but record " + widthRecord + " has "
          + widthText + "; every record needs the same number of features");
    }
  }

  private static String describe(int rowWidth, boolean sparse, TensorBuffer t) {
    return sparse ? rowWidth + " features (sparse " + t.typeName() + ", shape " + t.shapeText() + ")"
        : rowWidth + " features (dense " + t.typeName() + " of " + rowWidth + " values)";
  }

  /** Turns the dense rows read so far into CSR rows of explicit entries. */
  private void toSparse() {
    int stored = values.size();
    indices = new GrowableInts(Math.max(stored, values.array().length));
    rowEnds = new GrowableInts(rows + 1024);
    rowEnds.add(0);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        indices.add(c);
      }
      rowEnds.add((r + 1) * width);
    }
  }

  /** Sorts one row's entries by index (rare: writers emit increasing keys); a repeated index is an error. */
  private void sortRow(int from, int to, TensorBuffer t, RecordIOReader at) {
    int[] idx = indices.array();
    float[] val = values.array();
    long[] order = new long[to - from];
    for (int i = from; i < to; i++) {
      order[i - from] = (long) idx[i] << 32 | (i - from);
    }
    Arrays.sort(order);
    float[] copy = Arrays.copyOfRange(val, from, to);
    for (int i = 0; i < order.length; i++) {
      int key = (int) (order[i] >>> 32);
      if (i > 0 && key == idx[from + i - 1]) {
        throw at.error(t.field + " lists key " + key + " more than once; each flat index may appear once");
      }
      idx[from + i] = key;
      val[from + i] = copy[(int) order[i]];
    }
  }

  /** The rows read: dense when every row was dense, CSR otherwise; {@code width} columns (0 without rows). */
  Batch batch() {
    int columns = Math.max(width, modelWidth);
    if (indices == null) {
      return new DenseBatch(rows, Math.max(columns, 0), values.array());
    }
    int[] ends = rowEnds.array();
    long[] offsets = new long[rows + 1];
    for (int r = 0; r <= rows; r++) {
      offsets[r] = ends[r];
    }
    return new SparseBatch(rows, columns, offsets, indices.toArray(), values.toArray());
  }
}
