package dev.sagebox.engine.xgboost;

import java.lang.reflect.Field;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * Predictions of a whole DMatrix as one flat row-major array (one value per row, or one per class and row).
 *
 * <p>xgboost4j's {@code Booster.predict} gets exactly such an array from the native library, then copies it into
 * one small {@code float[]} per row with a division and a remainder per value; on a million rows, every round, that
 * copy costs more than the metrics computed from it. Here the native call is made directly with the booster's handle,
 * read reflectively from its private field (xgboost4j is on the class path, so no module forbids it). Should a later
 * xgboost4j rename the field, the public API and a flattening copy are used instead, with the same results.
 */
final class FlatPredictions {
  private FlatPredictions() {}

  private static final Field HANDLE = handleField();
  private static final int OUTPUT_MARGIN = 1;

  /** Untransformed scores ({@code output_margin}): log-odds for logistic objectives, one per class for multi. */
  static float[] margins(Booster booster, DMatrix data) throws XGBoostError {
    return predict(booster, data, OUTPUT_MARGIN);
  }

  /** What {@code Booster.predict} returns, flat. */
  static float[] values(Booster booster, DMatrix data) throws XGBoostError {
    return predict(booster, data, 0);
  }

  /**
   * What {@link #values} returns, written into {@code into} when {@code api} is there and the length fits (no new
   * array each round); through xgboost4j otherwise. Returns the array that holds them.
   */
  static float[] values(Booster booster, DMatrix data, dev.sagebox.engine.xgboost.capi.XGBoostCApi api,
      float[] into) throws XGBoostError {
    return predict(booster, data, 0, api, into);
  }

  /** What {@link #margins(Booster, DMatrix)} returns, into {@code into} as {@link #values} does. */
  static float[] margins(Booster booster, DMatrix data, dev.sagebox.engine.xgboost.capi.XGBoostCApi api,
      float[] into) throws XGBoostError {
    return predict(booster, data, OUTPUT_MARGIN, api, into);
  }

  private static float[] predict(Booster booster, DMatrix data, int optionMask,
      dev.sagebox.engine.xgboost.capi.XGBoostCApi api, float[] into) throws XGBoostError {
    if (api == null || HANDLE == null) {
      return predict(booster, data, optionMask);
    }
    try {
      return api.predict(HANDLE.getLong(booster), data.getHandle(), optionMask, into);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("booster handle not readable", e);
    }
  }

  private static float[] predict(Booster booster, DMatrix data, int optionMask) throws XGBoostError {
    if (HANDLE != null) {
      long handle;
      try {
        handle = HANDLE.getLong(booster);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("booster handle not readable", e);
      }
      float[][] out = new float[1][];
      int rc = XGBoostJNI.XGBoosterPredict(handle, data.getHandle(), optionMask, 0, out);
      if (rc != 0) {
        throw new XGBoostError(XGBoostJNI.XGBGetLastError());
      }
      return out[0];
    }
    float[][] rows = booster.predict(data, optionMask == OUTPUT_MARGIN);
    int width = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * width, width);
    }
    return flat;
  }

  private static Field handleField() {
    try {
      Field f = Booster.class.getDeclaredField("handle");
      if (f.getType() != long.class) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the direct path is in use (for tests and the log). */
  static boolean direct() {
    return HANDLE != null;
  }
}
