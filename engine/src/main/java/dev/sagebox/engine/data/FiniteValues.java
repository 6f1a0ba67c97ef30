package dev.sagebox.engine.data;

import dev.sagebox.engine.error.DataFormatError;

/**
 * The one policy for non-finite numbers, applied to every codec and every training format: NaN (also written
 * {@code nan}, an empty field, or {@code null} in JSON) means missing; {@code inf}, {@code -inf} and numbers beyond
 * the float range ({@code 1e400}, {@code 3.5e38}) are refused with a located error, as stock XGBoost refuses
 * infinite inputs (and a linear model would turn them into NaN scores).
 */
public final class FiniteValues {
  static final String WHY = "is infinite (inf, -inf, or a number beyond the float range such as 1e400 or 3.5e38); "
      + "infinite values are refused, as stock XGBoost refuses them: send NaN, null or an empty field for a missing "
      + "value";

  private FiniteValues() {}

  /** Throws when a feature is infinite, naming the row (1-based) and feature (0-based) of the first one. */
  public static void require(Batch batch, String source) {
    require(batch, (row, feature) -> source + ", row " + (row + 1) + ", feature " + feature);
  }

  /**
   * Also checks labels and weights of training rows; a bad value is named by its file, line and CSV column when
   * known.
   */
  public static void require(LabeledData data) {
    require(data.features(), data::describeFeature);
    check(data.labels(), data, "label");
    if (data.weights() != null) {
      check(data.weights(), data, "weight");
    }
  }

  /** Names a value by its row and feature (both 0-based). */
  private interface Where {
    String of(int row, int feature);
  }

  private static void require(Batch batch, Where where) {
    if (batch instanceof DenseBatch d) {
      float[] v = d.values();
      int n = d.rows() * d.columns();
      for (int i = 0; i < n; i++) {
        if (Float.isInfinite(v[i])) {
          throw new DataFormatError(where.of(i / d.columns(), i % d.columns()), 0, 0, "the value " + WHY);
        }
      }
    } else if (batch instanceof SparseBatch s) {
      float[] v = s.values();
      for (int i = 0; i < v.length; i++) {
        if (Float.isInfinite(v[i])) {
          throw new DataFormatError(where.of(rowOf(s.rowOffsets(), i), s.indices()[i]), 0, 0, "the value " + WHY);
        }
      }
    }
  }

  private static void check(float[] values, LabeledData data, String what) {
    for (int i = 0; i < values.length; i++) {
      if (Float.isInfinite(values[i])) {
        throw new DataFormatError(data.describeRow(i), 0, 0, "the " + what + " " + WHY);
      }
    }
  }

  private static int rowOf(long[] offsets, int entry) {
    int lo = 0;
    int hi = offsets.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (offsets[mid] <= entry) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
