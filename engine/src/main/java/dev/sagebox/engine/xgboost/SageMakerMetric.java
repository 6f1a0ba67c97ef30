package dev.sagebox.engine.xgboost;

import java.util.Arrays;
import java.util.List;

/**
 * The evaluation metrics SageMaker's XGBoost computes itself, on top of XGBoost's own (its
 * {@code metrics/custom_metrics.py}, which calls scikit-learn). Names, directions and definitions are the built-in's:
 *
 * <ul>
 *   <li>Classification metrics compare the label with the predicted class: the margin {@code > 0} for binary
 *       objectives (the same as probability {@code > 0.5}), the index of the largest margin for {@code multi:*}
 *       (the first on ties, as numpy's argmax). Classes are those found in the labels or the predictions
 *       (scikit-learn's {@code unique_labels}); a ratio with a zero denominator counts as 0 (its
 *       {@code zero_division} default).
 *   <li>{@code f1} and {@code f1_macro} are both the macro average (the built-in defines {@code f1} so);
 *       {@code precision}, {@code recall} and {@code f1_binary} are the positive class's (label 1) and need binary
 *       labels; the micro averages equal the accuracy for single-label data, as in scikit-learn.
 *   <li>{@code balanced_accuracy} is the mean recall over the classes present in the labels.
 *   <li>{@code mse} and {@code r2} compare the label with the prediction; {@code r2} is 1 when the labels are
 *       constant and predicted exactly, 0 when constant and not (scikit-learn's {@code force_finite}).
 * </ul>
 *
 * <p>None of them uses instance weights (the built-in passes none to scikit-learn). {@code rmse} and {@code mae},
 * which the built-in also recomputes, stay XGBoost's own (identical for unweighted data with an identity link).
 */
enum SageMakerMetric {
  ACCURACY("accuracy", Task.CLASSES),
  BALANCED_ACCURACY("balanced_accuracy", Task.CLASSES),
  F1("f1", Task.CLASSES),
  F1_BINARY("f1_binary", Task.BINARY),
  F1_MACRO("f1_macro", Task.CLASSES),
  PRECISION("precision", Task.BINARY),
  PRECISION_MACRO("precision_macro", Task.CLASSES),
  PRECISION_MICRO("precision_micro", Task.CLASSES),
  RECALL("recall", Task.BINARY),
  RECALL_MACRO("recall_macro", Task.CLASSES),
  RECALL_MICRO("recall_micro", Task.CLASSES),
  MSE("mse", Task.VALUES),
  R2("r2", Task.VALUES);

  /** What a metric compares the labels with. */
  enum Task {
    /** Predicted classes, any number of them. */
    CLASSES,
    /** Predicted classes, binary labels only (scikit-learn's {@code average='binary'}, positive label 1). */
    BINARY,
    /** Predicted values. */
    VALUES
  }

  private final String metricName;
  private final Task task;

  SageMakerMetric(String metricName, Task task) {
    this.metricName = metricName;
    this.task = task;
  }

  String metricName() {
    return metricName;
  }

  Task task() {
    return task;
  }

  boolean usesClasses() {
    return task != Task.VALUES;
  }

  static SageMakerMetric byName(String name) {
    for (SageMakerMetric m : values()) {
      if (m.metricName.equals(name)) {
        return m;
      }
    }
    return null;
  }

  static List<String> names() {
    return Arrays.stream(values()).map(SageMakerMetric::metricName).toList();
  }

  /**
   * The metric from a confusion matrix of {@code k} classes ({@code confusion[t * k + p]}: rows with label t
   * predicted as p).
   */
  double fromConfusion(long[] confusion, int k) {
    long total = 0;
    long correct = 0;
    for (int t = 0; t < k; t++) {
      correct += confusion[t * k + t];
      for (int p = 0; p < k; p++) {
        total += confusion[t * k + p];
      }
    }
    if (total == 0) {
      return 0.0;
    }
    return switch (this) {
      case ACCURACY, PRECISION_MICRO, RECALL_MICRO -> (double) correct / total;
      case BALANCED_ACCURACY -> balancedAccuracy(confusion, k);
      case F1, F1_MACRO -> macro(confusion, k, Ratio.F1);
      case PRECISION_MACRO -> macro(confusion, k, Ratio.PRECISION);
      case RECALL_MACRO -> macro(confusion, k, Ratio.RECALL);
      case F1_BINARY -> Ratio.F1.of(confusion, k, 1);
      case PRECISION -> Ratio.PRECISION.of(confusion, k, 1);
      case RECALL -> Ratio.RECALL.of(confusion, k, 1);
      case MSE, R2 -> throw new IllegalStateException(metricName + " is not computed from classes");
    };
  }

  private enum Ratio {
    PRECISION, RECALL, F1;

    double of(long[] c, int k, int cls) {
      long tp = c[cls * k + cls];
      long predicted = 0;
      long actual = 0;
      for (int i = 0; i < k; i++) {
        predicted += c[i * k + cls];
        actual += c[cls * k + i];
      }
      long denominator = switch (this) {
        case PRECISION -> predicted;
        case RECALL -> actual;
        case F1 -> predicted + actual;
      };
      return denominator == 0 ? 0.0 : (this == F1 ? 2.0 * tp : tp) / denominator;
    }
  }

  /** Mean over the classes seen in the labels or the predictions. */
  private static double macro(long[] c, int k, Ratio ratio) {
    double sum = 0;
    int classes = 0;
    for (int cls = 0; cls < k; cls++) {
      if (seen(c, k, cls)) {
        sum += ratio.of(c, k, cls);
        classes++;
      }
    }
    return classes == 0 ? 0.0 : sum / classes;
  }

  /** Mean recall over the classes seen in the labels. */
  private static double balancedAccuracy(long[] c, int k) {
    double sum = 0;
    int classes = 0;
    for (int t = 0; t < k; t++) {
      long actual = 0;
      for (int p = 0; p < k; p++) {
        actual += c[t * k + p];
      }
      if (actual > 0) {
        sum += (double) c[t * k + t] / actual;
        classes++;
      }
    }
    return classes == 0 ? 0.0 : sum / classes;
  }

  private static boolean seen(long[] c, int k, int cls) {
    for (int i = 0; i < k; i++) {
      if (c[cls * k + i] != 0 || c[i * k + cls] != 0) {
        return true;
      }
    }
    return false;
  }
}
