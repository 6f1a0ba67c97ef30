package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.BinaryOperator;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Computes the {@link SageMakerMetric}s named in {@code eval_metric} after each round: one margin prediction per
 * evaluation set serves all of them (XGBoost predicts incrementally from its cache, so that is one tree's work), then
 * one pass over the rows, split into blocks across the pool's threads, fills a confusion matrix (classification) or
 * sums squared errors (regression). Labels are checked once per set, not per round.
 */
final class CustomMetrics {
  private static final int MIN_BLOCK = 1 << 15;

  private final List<String> order;
  private final SageMakerMetric[] metrics;
  private final boolean anyNative;
  private final String objective;
  private final ObjectiveKind kind;
  private final int classes;
  private final Link link;
  private final ForkJoinPool pool;

  /** How a margin becomes the predicted value that mse and r2 compare with the label. */
  private enum Link { IDENTITY, SIGMOID, EXP, HINGE }

  private CustomMetrics(List<String> order, List<SageMakerMetric> metrics, XGBoostParams params, ForkJoinPool pool) {
    this.order = List.copyOf(order);
    this.metrics = metrics.toArray(SageMakerMetric[]::new);
    this.anyNative = order.size() > metrics.size();
    this.objective = params.objective();
    this.kind = params.kind();
    this.classes = kind.isMulti() ? params.numClass() : 2;
    this.link = switch (objective) {
      case "binary:logistic", "reg:logistic" -> Link.SIGMOID;
      case "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft" -> Link.EXP;
      case "binary:hinge" -> Link.HINGE;
      default -> Link.IDENTITY;
    };
    this.pool = pool;
  }

  /** The evaluator for the SageMaker metrics among {@code params.evalMetrics()}, or {@code null} if there are none. */
  static CustomMetrics of(XGBoostParams params, ForkJoinPool pool) {
    List<SageMakerMetric> custom = new ArrayList<>();
    for (String m : params.evalMetrics()) {
      SageMakerMetric s = SageMakerMetric.byName(m);
      if (s != null) {
        custom.add(s);
      }
    }
    return custom.isEmpty() ? null : new CustomMetrics(params.evalMetrics(), custom, params, pool);
  }

  /** The labels of one evaluation set, checked against what the metrics need. */
  record Labels(String set, float[] values, double sumOfSquares) {}

  Labels prepare(String set, float[] labels) {
    return prepare(set, labels, null);
  }

  /** As {@link #prepare(String, float[])}; {@code rows} names a row in errors ({@code null}: channel and row). */
  Labels prepare(String set, float[] labels, java.util.function.IntFunction<String> rows) {
    boolean classesNeeded = false;
    boolean valuesNeeded = false;
    for (SageMakerMetric m : metrics) {
      classesNeeded |= m.usesClasses();
      valuesNeeded |= !m.usesClasses();
    }
    if (classesNeeded && !kind.isMulti()) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 0f && labels[i] != 1f) {
          throw new UserError((rows != null ? rows.apply(i) : "channel '" + set + "', row " + (i + 1)) + ": label "
              + labels[i] + " is neither 0 nor "
              + "1, but eval_metric " + classMetricNames() + " compares classes (as scikit-learn does, it needs "
              + "labels 0 and 1 with objective " + objective + ")");
        }
      }
    }
    double ss = 0;
    if (valuesNeeded && labels.length > 0) {
      double sum = 0;
      for (float v : labels) {
        sum += v;
      }
      double mean = sum / labels.length;
      for (float v : labels) {
        ss += (v - mean) * (v - mean);
      }
    }
    return new Labels(set, labels, ss);
  }

  private List<String> classMetricNames() {
    List<String> names = new ArrayList<>();
    for (SageMakerMetric m : metrics) {
      if (m.usesClasses()) {
        names.add(m.metricName());
      }
    }
    return names;
  }

  /** The value of every SageMaker metric, in {@code eval_metric} order, on one evaluation set. */
  double[] evaluate(Booster booster, DMatrix data, Labels labels) throws XGBoostError {
    float[] y = labels.values();
    double[] out = new double[metrics.length];
    if (y.length == 0) {
      return out;
    }
    float[] margins = FlatPredictions.margins(booster, data);
    int width = margins.length / y.length;
    if (width * y.length != margins.length || (kind.isMulti() ? width != classes : width != 1)) {
      throw new IllegalStateException("XGBoost returned " + margins.length + " margins for " + y.length + " rows");
    }
    long[] confusion = null;
    double squaredError = Double.NaN;
    for (int j = 0; j < metrics.length; j++) {
      SageMakerMetric m = metrics[j];
      if (m.usesClasses()) {
        if (confusion == null) {
          confusion = parallel(y.length, (from, to) -> confusion(y, margins, from, to), CustomMetrics::add);
        }
        out[j] = m.fromConfusion(confusion, classes);
      } else {
        if (Double.isNaN(squaredError)) {
          squaredError = parallel(y.length, (from, to) -> squaredError(y, margins, from, to), Double::sum);
        }
        out[j] = m == SageMakerMetric.MSE ? squaredError / y.length : r2(squaredError, labels.sumOfSquares());
      }
    }
    return out;
  }

  private static double r2(double residual, double total) {
    if (total == 0) {
      return residual == 0 ? 1.0 : 0.0;
    }
    return 1.0 - residual / total;
  }

  private long[] confusion(float[] y, float[] margins, int from, int to) {
    int k = classes;
    long[] c = new long[k * k];
    if (kind.isMulti()) {
      for (int i = from; i < to; i++) {
        int base = i * k;
        int best = 0;
        float max = margins[base];
        for (int j = 1; j < k; j++) {
          if (margins[base + j] > max) {
            max = margins[base + j];
            best = j;
          }
        }
        c[(int) y[i] * k + best]++;
      }
    } else {
      for (int i = from; i < to; i++) {
        c[(int) y[i] * 2 + (margins[i] > 0f ? 1 : 0)]++;
      }
    }
    return c;
  }

  private double squaredError(float[] y, float[] margins, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      float m = margins[i];
      // In float, as XGBoost computes its predictions.
      float v = switch (link) {
        case IDENTITY -> m;
        case SIGMOID -> 1f / (1f + (float) Math.exp(-m));
        case EXP -> (float) Math.exp(m);
        case HINGE -> m > 0 ? 1f : 0f;
      };
      double d = (double) y[i] - v;
      sum += d * d;
    }
    return sum;
  }

  private static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** One block of rows. */
  private interface Block<T> {
    T compute(int from, int to);
  }

  /** Splits 0..n into blocks, computes them on the pool and merges the results in block order (deterministic). */
  private <T> T parallel(int n, Block<T> block, BinaryOperator<T> merge) {
    int blocks = (int) Math.min((long) pool.getParallelism() * 4, Math.max(1, n / MIN_BLOCK));
    if (blocks <= 1) {
      return block.compute(0, n);
    }
    List<ForkJoinTask<T>> tasks = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      int from = (int) ((long) n * b / blocks);
      int to = (int) ((long) n * (b + 1) / blocks);
      tasks.add(pool.submit(() -> block.compute(from, to)));
    }
    T acc = tasks.get(0).join();
    for (int b = 1; b < blocks; b++) {
      acc = merge.apply(acc, tasks.get(b).join());
    }
    return acc;
  }

  /**
   * The round's log with the SageMaker metrics placed where {@code eval_metric} names them, per set; XGBoost's own
   * metrics keep their order (its default metric, logged when {@code eval_metric} names no XGBoost metric, comes
   * first, as it does in the built-in's lines).
   */
  RoundLog merge(RoundLog natives, List<String> sets, double[][] values) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int s = 0; s < sets.size(); s++) {
      String prefix = sets.get(s) + "-";
      List<Map.Entry<String, Double>> own = new ArrayList<>();
      for (Map.Entry<String, Double> e : natives.values().entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          own.add(e);
        }
      }
      int next = 0;
      if (!anyNative) {
        for (; next < own.size(); next++) {
          out.put(own.get(next).getKey(), own.get(next).getValue());
        }
      }
      int custom = 0;
      for (String name : order) {
        if (SageMakerMetric.byName(name) != null) {
          out.put(prefix + name, values[s][custom++]);
        } else if (next < own.size()) {
          out.put(own.get(next).getKey(), own.get(next).getValue());
          next++;
        }
      }
      for (; next < own.size(); next++) {
        out.put(own.get(next).getKey(), own.get(next).getValue());
      }
    }
    return new RoundLog(natives.iteration(), out);
  }
}
