package dev.sagebox.engine.xgboost.trees;

import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Compares a compiled ensemble with XGBoost itself on probe rows before it is trusted with requests: any model
 * whose predictions differ (a layout or objective this evaluator gets wrong) keeps being served by XGBoost.
 */
public final class EvaluatorCheck {
  /** Largest accepted difference between the two predictions. */
  static final double TOLERANCE = 1e-5;
  private static final int PROBES = 256;
  /** At most this many probe values (a model declaring millions of features gets fewer probe rows, not gigabytes). */
  private static final int MAX_PROBE_VALUES = 1 << 22;

  private EvaluatorCheck() {}

  /** Empty when the ensemble agrees with {@code booster} on probe rows; else what differed. */
  public static Optional<String> mismatch(TreeEnsemble ensemble, Booster booster, int columns) throws XGBoostError {
    int probes = (int) Math.max(1, Math.min(PROBES, MAX_PROBE_VALUES / Math.max(1L, columns)));
    float[] x = ensemble.probeRows(probes, columns, 20_251_201L);
    float[][] theirs = booster.inplace_predict(x, probes, columns, Float.NaN);
    float[][] ours = ensemble.predict(ensemble.margins(x, probes, columns), probes);
    for (int r = 0; r < probes; r++) {
      if (theirs[r].length != ours[r].length) {
        return Optional.of("output width " + ours[r].length + " where XGBoost gives " + theirs[r].length);
      }
      for (int k = 0; k < ours[r].length; k++) {
        double d = Math.abs(ours[r][k] - theirs[r][k]);
        if (!(d <= TOLERANCE * Math.max(1.0, Math.abs(theirs[r][k])))) {
          return Optional.of("probe row " + r + ", output " + k + ": " + ours[r][k] + " where XGBoost gives "
              + theirs[r][k]);
        }
      }
    }
    return Optional.empty();
  }
}
