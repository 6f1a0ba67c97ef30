package dev.sagebox.engine.linear;

/**
 * Binary decision thresholds: picks the threshold on validation scores that is best for the selection criterion
 * (accuracy, F-beta, precision at a target recall, recall at a target precision; the loss criterion keeps 0.5).
 */
final class Calibration {
  private Calibration() {}

  /** The chosen threshold and the criterion's value there (higher is better). */
  record Result(float threshold, double value) {}

  static Result calibrate(float[] scores, float[] labels, LinearParams p) {
    int n = scores.length;
    // Highest score first.
    int[] ascending = Metrics.ascendingOrder(scores, n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = ascending[n - 1 - i];
    }
    long positives = 0;
    for (float y : labels) {
      positives += y > 0.5f ? 1 : 0;
    }
    long negatives = n - positives;
    if (p.selection().equals("loss_function")) {
      return new Result(0.5f, Double.NaN);
    }
    // Walk thresholds from the highest score down: predicting positive for the first i rows.
    double best = Double.NEGATIVE_INFINITY;
    float bestThreshold = 0.5f;
    long tp = 0;
    long fp = 0;
    for (int i = 0; i <= n; i++) {
      if (i > 0) {
        if (labels[order[i - 1]] > 0.5f) {
          tp++;
        } else {
          fp++;
        }
        if (i < n && scores[order[i]] == scores[order[i - 1]]) {
          continue;
        }
      }
      double value = criterion(p, tp, fp, positives, negatives);
      if (value > best) {
        best = value;
        float hi = i == 0 ? 1f : scores[order[i - 1]];
        float lo = i == n ? 0f : scores[order[i]];
        bestThreshold = i == 0 ? Math.nextUp(hi) : (hi + lo) / 2;
      }
    }
    return new Result(bestThreshold, best);
  }

  private static double criterion(LinearParams p, long tp, long fp, long pos, long neg) {
    long fn = pos - tp;
    long tn = neg - fp;
    double precision = tp + fp == 0 ? 1 : tp / (double) (tp + fp);
    double recall = pos == 0 ? 0 : tp / (double) pos;
    return switch (p.selection()) {
      case "f_beta" -> {
        double b2 = p.fBeta() * p.fBeta();
        yield precision + recall == 0 ? 0 : (1 + b2) * precision * recall / (b2 * precision + recall);
      }
      case "precision_at_target_recall" -> recall >= p.targetRecall() ? precision : -1 + recall;
      case "recall_at_target_precision" -> precision >= p.targetPrecision() ? recall : -1 + precision;
      default -> (tp + tn) / (double) (tp + tn + fp + fn);
    };
  }
}
