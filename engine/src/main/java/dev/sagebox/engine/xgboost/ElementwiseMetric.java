package dev.sagebox.engine.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * XGBoost's row-by-row metrics {@code error}, {@code rmse} and {@code mae} in XGBoost's arithmetic: each row's loss
 * in float, times its weight in float, summed in double per thread over the same contiguous shares of rows that
 * XGBoost's OpenMP loop gives its threads, the threads' sums then added in thread order: with the same thread count,
 * the sums are XGBoost's to the bit. ({@code logloss} is not here: XGBoost takes a float logarithm from the C
 * library, which differs from Java's correctly rounded one in the last bit of some rows, enough to change a printed
 * digit now and then.)
 */
enum ElementwiseMetric {
  ERROR("error") {
    @Override
    float row(float y, float p) {
      return p > 0.5f ? 1.0f - y : y;
    }
  },
  RMSE("rmse") {
    @Override
    float row(float y, float p) {
      float d = y - p;
      return d * d;
    }

    @Override
    double finish(double sum, double weightSum) {
      return weightSum == 0 ? Math.sqrt(sum) : Math.sqrt(sum / weightSum);
    }
  },
  MAE("mae") {
    @Override
    float row(float y, float p) {
      return Math.abs(y - p);
    }
  };

  private final String metricName;

  ElementwiseMetric(String metricName) {
    this.metricName = metricName;
  }

  /** The name XGBoost prints. */
  String metricName() {
    return metricName;
  }

  /** The metric named {@code name} as XGBoost spells it, or null. */
  static ElementwiseMetric byName(String name) {
    for (ElementwiseMetric m : values()) {
      if (m.metricName.equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** One row's loss: label {@code y}, transformed prediction {@code p}. */
  abstract float row(float y, float p);

  /** The metric from the weighted sum of the rows' losses and the sum of the weights. */
  double finish(double sum, double weightSum) {
    return weightSum == 0 ? sum : sum / weightSum;
  }

  /**
   * The metric over all rows. {@code threads}: XGBoost's thread count, which decides the shares summed separately;
   * {@code pool} (may be null) computes the shares in parallel.
   */
  double evaluate(float[] labels, float[] weights, float[] predictions, int threads, ForkJoinPool pool) {
    int n = labels.length;
    if (predictions.length != n) {
      throw new IllegalArgumentException(predictions.length + " predictions for " + n + " labels");
    }
    float[] w = weights == null || weights.length == 0 ? null : weights;
    int t = Math.max(1, threads);
    double[][] partial = new double[t][];
    if (pool == null || t == 1 || n < (1 << 15)) {
      for (int s = 0; s < t; s++) {
        partial[s] = share(labels, w, predictions, n, t, s);
      }
    } else {
      List<ForkJoinTask<double[]>> tasks = new ArrayList<>(t);
      for (int s = 1; s < t; s++) {
        int share = s;
        tasks.add(pool.submit(() -> share(labels, w, predictions, n, t, share)));
      }
      partial[0] = share(labels, w, predictions, n, t, 0);
      for (int s = 1; s < t; s++) {
        partial[s] = tasks.get(s - 1).join();
      }
    }
    double sum = 0.0;
    double weightSum = 0.0;
    for (double[] p : partial) {
      sum += p[0];
    }
    for (double[] p : partial) {
      weightSum += p[1];
    }
    return finish(sum, weightSum);
  }

  /** Share {@code s} of {@code t} as OpenMP's static schedule cuts {@code n} rows: the first n % t get one more. */
  private double[] share(float[] labels, float[] w, float[] p, int n, int t, int s) {
    int q = n / t;
    int r = n % t;
    int from = s < r ? s * (q + 1) : s * q + r;
    int to = from + (s < r ? q + 1 : q);
    double sum = 0;
    double weightSum = 0;
    for (int i = from; i < to; i++) {
      float wt = w == null ? 1.0f : w[i];
      float v = row(labels[i], p[i]) * wt;
      sum += v;
      weightSum += wt;
    }
    return new double[] {sum, weightSum};
  }
}
