package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The evaluation metrics SageMaker's XGBoost accepts and their direction for early stopping: XGBoost's own, plus
 * those SageMaker computes itself ({@link SageMakerMetric}). The directions are the built-in's
 * ({@code XGB_MAXIMIZE_METRICS}), except {@code interval-regression-accuracy}, an accuracy, which the built-in lists
 * among the metrics to minimise.
 */
final class EvalMetrics {
  private EvalMetrics() {}

  static final Set<String> MAXIMIZE = Set.of("accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary",
      "f1_macro", "map", "ndcg", "precision", "r2", "recall", "precision_macro", "precision_micro", "recall_macro",
      "recall_micro", "interval-regression-accuracy");
  static final Set<String> MINIMIZE = Set.of("aft-nloglik", "cox-nloglik", "error", "gamma-deviance",
      "gamma-nloglik", "logloss", "mae", "mape", "merror", "mlogloss", "mphe", "mse", "poisson-nloglik", "rmse",
      "rmsle", "tweedie-nloglik");

  static boolean maximize(String metric) {
    return MAXIMIZE.contains(base(metric));
  }

  static String base(String metric) {
    int at = metric.indexOf('@');
    return at < 0 ? metric : metric.substring(0, at);
  }

  /** Parses and checks {@code eval_metric} against the objective. */
  static List<String> parse(String raw, String objective) {
    List<String> out = new ArrayList<>();
    ObjectiveKind kind = ObjectiveKind.of(objective);
    String text = raw.strip();
    if (text.length() >= 2 && text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1); // a JSON list, as SageMaker's Python SDK writes a Python list
    }
    for (String part : text.split(",")) {
      String m = part.strip();
      if (m.length() >= 2 && m.startsWith("\"") && m.endsWith("\"")) {
        m = m.substring(1, m.length() - 1).strip();
      }
      if (m.isEmpty()) {
        continue;
      }
      String base = base(m);
      if (!MAXIMIZE.contains(base) && !MINIMIZE.contains(base)) {
        throw new HyperparameterError("eval_metric", "unknown metric '" + m + "'; accepted: "
            + String.join(", ", new java.util.TreeSet<>(union())) + " (error@t, ndcg@n and map@n take a threshold)");
      }
      if (m.contains("@")) {
        if (!Set.of("error", "ndcg", "map").contains(base)) {
          throw new HyperparameterError("eval_metric", "'" + m + "': only error, ndcg and map take '@<value>'");
        }
        try {
          Double.parseDouble(m.substring(m.indexOf('@') + 1).replace("-", ""));
        } catch (NumberFormatException e) {
          throw new HyperparameterError("eval_metric", "'" + m + "': the part after '@' must be a number");
        }
      }
      SageMakerMetric custom = SageMakerMetric.byName(base);
      if (custom != null) {
        checkCustom(custom, objective, kind);
      }
      if ((base.equals("auc") || base.equals("aucpr"))
          && !(kind.isBinary() || kind == ObjectiveKind.RANKING)) {
        throw new HyperparameterError("eval_metric", "'" + m + "' needs a binary:* or rank:* objective, not "
            + objective);
      }
      if ((base.equals("aft-nloglik") || base.equals("interval-regression-accuracy"))
          && !objective.equals("survival:aft")) {
        throw new HyperparameterError("eval_metric", "'" + m + "' needs objective survival:aft (interval labels)");
      }
      if ((base.equals("merror") || base.equals("mlogloss")) && !kind.isMulti()) {
        throw new HyperparameterError("eval_metric", "'" + m + "' needs a multi:* objective, not " + objective);
      }
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    if (out.isEmpty()) {
      throw new HyperparameterError("eval_metric", "is empty; give one or more metric names separated by commas");
    }
    return List.copyOf(out);
  }

  /** The XGBoost metrics among {@code metrics}: those to set as XGBoost's {@code eval_metric}. */
  static List<String> xgboostMetrics(List<String> metrics) {
    return metrics.stream().filter(m -> SageMakerMetric.byName(m) == null).toList();
  }

  private static void checkCustom(SageMakerMetric m, String objective, ObjectiveKind kind) {
    String name = m.metricName();
    boolean binary = kind.isBinary() || objective.equals("reg:logistic");
    switch (m.task()) {
      case CLASSES -> {
        if (!binary && !kind.isMulti()) {
          throw new HyperparameterError("eval_metric", "'" + name + "' compares predicted classes; it needs a "
              + "binary:*, multi:* or reg:logistic objective, not " + objective);
        }
      }
      case BINARY -> {
        if (!binary) {
          throw new HyperparameterError("eval_metric", "'" + name + "' is the positive class's score and needs "
              + "a binary:* or reg:logistic objective, not " + objective
              + (kind.isMulti() ? "; for several classes use f1_macro, precision_macro or recall_macro" : ""));
        }
      }
      case VALUES -> {
        if (kind.isMulti() || kind == ObjectiveKind.RANKING || kind == ObjectiveKind.SURVIVAL) {
          throw new HyperparameterError("eval_metric", "'" + name + "' compares predicted values with labels; "
              + "it needs a regression or binary objective, not " + objective);
        }
      }
      default -> throw new IllegalStateException(m.task().toString());
    }
  }

  private static Set<String> union() {
    Set<String> all = new java.util.HashSet<>(MAXIMIZE);
    all.addAll(MINIMIZE);
    return all;
  }
}
