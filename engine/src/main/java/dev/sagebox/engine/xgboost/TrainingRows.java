package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.error.UserError;

/**
 * Training rows as XGBoost takes them: features, one label per row, optional weights, and for {@code survival:aft}
 * the upper bound of each label's interval ({@code labels} then hold the lower bounds; +infinity: no upper bound).
 */
record TrainingRows(String source, Batch features, float[] labels, float[] weights, float[] upperBounds) {

  TrainingRows {
    if (labels.length != features.rows() || (weights != null && weights.length != labels.length)
        || (upperBounds != null && upperBounds.length != labels.length)) {
      throw new IllegalArgumentException("one label, weight and bound per row expected");
    }
  }

  static TrainingRows of(LabeledData d) {
    return new TrainingRows(d.source(), d.features(), d.labels(), d.weights(), null);
  }

  int rows() {
    return labels.length;
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
    return new TrainingRows(d.source(), new DenseBatch(rows, kept, features), d.labels(), weights, upper);
  }
}
