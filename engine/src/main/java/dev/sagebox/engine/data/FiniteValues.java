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
    if (batch instanceof DenseBatch d) {
      float[] v = d.values();
      int n = d.rows() * d.columns();
      for (int i = 0; i < n; i++) {
        if (Float.isInfinite(v[i])) {
          throw new DataFormatError(source, 0, 0, "row " + (i / d.columns() + 1) + ", feature " + (i % d.columns())
              + ": the value " + WHY);
        }
      }
    } else if (batch instanceof SparseBatch s) {
      float[] v = s.values();
      for (int i = 0; i < v.length; i++) {
        if (Float.isInfinite(v[i])) {
          throw new DataFormatError(source, 0, 0, "row " + (rowOf(s.rowOffsets(), i) + 1) + ", feature "
              + s.indices()[i] + ": the value " + WHY);
        }
      }
    }
  }

  /** Also checks labels and weights of training rows. */
  public static void require(LabeledData data) {
    require(data.features(), data.source());
    check(data.labels(), data.source(), "label");
    if (data.weights() != null) {
      check(data.weights(), data.source(), "weight");
    }
  }

  private static void check(float[] values, String source, String what) {
    for (int i = 0; i < values.length; i++) {
      if (Float.isInfinite(values[i])) {
        throw new DataFormatError(source, 0, 0, "row " + (i + 1) + ": the " + what + " " + WHY);
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
