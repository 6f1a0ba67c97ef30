package dev.sagebox.engine.linear;

import java.util.Arrays;

/** Evaluation metrics on plain arrays (run once per epoch, not in the training step). */
final class Metrics {
  private Metrics() {}

  static double accuracy(float[] scores, float[] labels, int n, float threshold) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      ok += (scores[i] > threshold) == (labels[i] > 0.5f) ? 1 : 0;
    }
    return ok / (double) n;
  }

  /**
   * Row indices by ascending score (ties in index order): a sort of packed (score, index) longs, no boxing, no
   * comparator calls.
   */
  static int[] ascendingOrder(float[] scores, int n) {
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToIntBits(scores[i]);
      int sortable = bits >= 0 ? bits ^ 0x80000000 : ~bits;
      keyed[i] = ((long) sortable << 32 | i) ^ Long.MIN_VALUE;
    }
    Arrays.sort(keyed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) keyed[i];
    }
    return order;
  }

  /** ROC AUC by the rank-sum formula, ties averaged; rows in {@link #ascendingOrder} (no boxing). */
  static double auc(float[] scores, float[] labels, int n) {
    int[] order = ascendingOrder(scores, n);
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < n;) {
      int j = i;
      float si = scores[order[i]];
      while (j + 1 < n && scores[order[j + 1]] == si) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (labels[order[t]] > 0.5f) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    return pos == 0 || neg == 0 ? Double.NaN : (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }

  /** Share of rows whose label is among the {@code topK} highest of the row's k values. */
  static double multiclassAccuracy(float[] values, float[] labels, int n, int k, int topK) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      int label = (int) labels[i];
      float own = values[i * k + label];
      int higher = 0;
      for (int c = 0; c < k; c++) {
        if (values[i * k + c] > own) {
          higher++;
        }
      }
      ok += higher < topK ? 1 : 0;
    }
    return ok / (double) n;
  }

  static double mse(float[] pred, float[] labels, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double e = pred[i] - labels[i];
      s += e * e;
    }
    return s / n;
  }

  static double mae(float[] pred, float[] labels, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(pred[i] - labels[i]);
    }
    return s / n;
  }
}
