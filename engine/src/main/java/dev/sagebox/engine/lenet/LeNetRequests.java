package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every LeNet predictor does around the network, whichever runs it: checks and scales the pixel rows of a
 * request (0-255 scaled to 0-1; a row whose values all lie in 0-1 is taken as already scaled), and turns class
 * probabilities into the answer ({@code predicted_label}, {@code probabilities}).
 */
final class LeNetRequests {
  private LeNetRequests() {}

  /** The network's input for {@code batch}: rows x 784 pixels scaled to 0-1. */
  static float[] scaledPixels(Batch batch) {
    if (!(batch instanceof DenseBatch d)) {
      throw new UserError("LeNet takes dense pixel rows (CSV, JSON or an image), not sparse libsvm rows");
    }
    int n = d.rows();
    float[] x = Arrays.copyOf(d.values(), n * Images.SIZE);
    for (int r = 0; r < n; r++) {
      float max = 0;
      for (int k = 0; k < Images.SIZE; k++) {
        float v = x[r * Images.SIZE + k];
        if (Float.isNaN(v) || v < 0 || v > 255) {
          throw new UserError("instance " + (r + 1) + ", pixel " + (k + 1) + ": " + v + " is not a pixel value "
              + "(accepted: 0-255, or 0-1 for an already scaled image)");
        }
        max = Math.max(max, v);
      }
      if (max > 1f) {
        for (int k = 0; k < Images.SIZE; k++) {
          x[r * Images.SIZE + k] /= 255f;
        }
      }
    }
    return x;
  }

  /** The answer for {@code n} rows of 10 class probabilities. */
  static Predictions answer(float[] probs, int n) {
    float[][] rows = new float[n][];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      rows[r] = Arrays.copyOfRange(probs, r * Images.CLASSES, (r + 1) * Images.CLASSES);
      int best = 0;
      for (int c = 1; c < Images.CLASSES; c++) {
        if (rows[r][c] > rows[r][best]) {
          best = c;
        }
      }
      labels[r] = best;
    }
    Map<String, Column> cols = new LinkedHashMap<>();
    cols.put("predicted_label", new Column.Integers(labels));
    cols.put("probabilities", new Column.Vectors(rows));
    return new Predictions(n, cols, false);
  }
}
