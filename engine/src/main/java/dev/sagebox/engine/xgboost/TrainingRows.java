package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.RowOrigins;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UserError;

/**
 * Training rows as XGBoost takes them: features, one label per row, optional weights, and for {@code survival:aft}
 * the upper bound of each label's interval ({@code labels} then hold the lower bounds; +infinity: no upper bound).
 */
record TrainingRows(String source, Batch features, float[] labels, float[] weights, float[] upperBounds,
    RowOrigins origins) {

  TrainingRows {
    if (labels.length != features.rows() || (weights != null && weights.length != labels.length)
        || (upperBounds != null && upperBounds.length != labels.length)) {
      throw new IllegalArgumentException("one label, weight and bound per row expected");
    }
  }

  static TrainingRows of(LabeledData d) {
    return new TrainingRows(d.source(), d.features(), d.labels(), d.weights(), null, d.origins());
  }

  int rows() {
    return labels.length;
  }

  /** Names row {@code row} (0-based): its file and line when known, else the channel and row. */
  String describeRow(String channel, int row) {
    return origins != null ? origins.describe(row) : "channel '" + channel + "', row " + (row + 1);
  }

  /**
   * Interval labels for {@code survival:aft} from Sagebox's CSV layout: column 1 the lower bound (read as the
   * label), column 2 the upper bound (empty or {@code inf}: none), then with {@code csv_weights=1} the weight, then
   * the features. {@code d} was read with the label only, so its first feature columns are the bound and weight.
   */
  static TrainingRows survival(String channel, LabeledData d, boolean weightColumn) {
    int extra = weightColumn ? 2 : 1;
    if (!(d.features() instanceof DenseBatch dense)) {
      throw new UserError("channel '" + channel + "' is libsvm, but objective survival:aft reads CSV only: column 1 "
          + "the lower bound, column 2 the upper bound (empty or inf for none)" + (weightColumn ? ", column 3 the "
          + "weight" : "") + ", then the features");
    }
    if (dense.columns() <= extra) {
      throw new UserError("channel '" + channel + "' has " + (dense.columns() + 1) + " column(s), but objective "
          + "survival:aft needs the lower bound, the upper bound" + (weightColumn ? ", the weight" : "")
          + " and at least one feature per row");
    }
    int rows = dense.rows();
    int width = dense.columns();
    int kept = width - extra;
    float[] values = dense.values();
    float[] features = new float[Math.multiplyExact(rows, kept)];
    float[] upper = new float[rows];
    float[] weights = weightColumn ? new float[rows] : null;
    for (int r = 0; r < rows; r++) {
      int at = r * width;
      float u = values[at];
      upper[r] = Float.isNaN(u) ? Float.POSITIVE_INFINITY : u;
      if (weights != null) {
        float w = values[at + 1];
        weights[r] = Float.isNaN(w) ? 1f : w;
      }
      System.arraycopy(values, at + extra, features, r * kept, kept);
    }
    return new TrainingRows(d.source(), new DenseBatch(rows, kept, features), d.labels(), weights, upper,
        d.origins() == null ? null : d.origins().withLeadingColumns(1 + extra));
  }

  /** The rows of {@code a} then {@code b} (k-fold reads train and validation as one set), {@code width} features. */
  static TrainingRows concat(String source, TrainingRows a, TrainingRows b, int width) {
    int rows = Math.addExact(a.rows(), b.rows());
    Batch features;
    if (a.features() instanceof DenseBatch da && b.features() instanceof DenseBatch db) {
      float[] v = new float[Math.multiplyExact(rows, width)];
      int na = da.rows() * width;
      System.arraycopy(da.values(), 0, v, 0, na);
      System.arraycopy(db.values(), 0, v, na, db.rows() * width);
      features = new DenseBatch(rows, width, v);
    } else {
      features = stackSparse(sparse(a.features()), sparse(b.features()), width);
    }
    return new TrainingRows(source, features, join(a.labels(), b.labels()),
        a.weights() == null && b.weights() == null ? null : join(fill(a.weights(), a.rows()),
            fill(b.weights(), b.rows())),
        a.upperBounds() == null ? null : join(a.upperBounds(), b.upperBounds()), null);
  }

  private static float[] fill(float[] weights, int rows) {
    if (weights != null) {
      return weights;
    }
    float[] ones = new float[rows];
    java.util.Arrays.fill(ones, 1f);
    return ones;
  }

  private static float[] join(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A dense batch as CSR: every value that is not missing (NaN) becomes an entry, zeros included. */
  private static SparseBatch sparse(Batch batch) {
    if (batch instanceof SparseBatch s) {
      return s;
    }
    DenseBatch d = (DenseBatch) batch;
    float[] v = d.values();
    int nnz = 0;
    for (float x : v) {
      nnz += Float.isNaN(x) ? 0 : 1;
    }
    long[] offsets = new long[d.rows() + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    int at = 0;
    for (int r = 0; r < d.rows(); r++) {
      for (int c = 0; c < d.columns(); c++) {
        float x = v[r * d.columns() + c];
        if (!Float.isNaN(x)) {
          indices[at] = c;
          values[at++] = x;
        }
      }
      offsets[r + 1] = at;
    }
    return new SparseBatch(d.rows(), d.columns(), offsets, indices, values);
  }

  private static SparseBatch stackSparse(SparseBatch a, SparseBatch b, int width) {
    int nnzA = a.values().length;
    long[] offsets = new long[a.rows() + b.rows() + 1];
    System.arraycopy(a.rowOffsets(), 0, offsets, 0, a.rows() + 1);
    for (int r = 1; r <= b.rows(); r++) {
      offsets[a.rows() + r] = nnzA + b.rowOffsets()[r];
    }
    int[] indices = java.util.Arrays.copyOf(a.indices(), nnzA + b.indices().length);
    System.arraycopy(b.indices(), 0, indices, nnzA, b.indices().length);
    float[] values = java.util.Arrays.copyOf(a.values(), nnzA + b.values().length);
    System.arraycopy(b.values(), 0, values, nnzA, b.values().length);
    return new SparseBatch(a.rows() + b.rows(), width, offsets, indices, values);
  }
}
