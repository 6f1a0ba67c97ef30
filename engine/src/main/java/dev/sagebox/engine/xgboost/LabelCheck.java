package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;

/** Checks labels against the objective before XGBoost sees them, so the error names the row and the rule. */
final class LabelCheck {
  private LabelCheck() {}

  static void check(String channel, TrainingRows data, XGBoostParams params) {
    float[] y = data.labels();
    String objective = params.objective();
    for (int i = 0; i < y.length; i++) {
      float v = y[i];
      String rule = data.upperBounds() != null ? interval(v, data.upperBounds()[i])
          : violated(v, objective, params.numClass());
      if (rule != null) {
        String label = data.upperBounds() == null ? "label " + v
            : "interval [" + v + ", " + data.upperBounds()[i] + "]";
        throw new UserError(data.describeRow(channel, i) + ": " + label + " is not valid for "
            + "objective " + objective + " (" + rule + ")");
      }
      if (data.weights() != null && !(data.weights()[i] >= 0)) {
        throw new UserError(data.describeRow(channel, i) + ": weight " + data.weights()[i]
            + " is not valid (weights must be numbers >= 0)");
      }
    }
  }

  /** survival:aft: a lower bound (the label) and an upper bound per row. */
  private static String interval(float lower, float upper) {
    if (!Float.isFinite(lower) || lower < 0) {
      return "the lower bound (column 1) must be a number >= 0; 0 means left-censored";
    }
    if (!(upper >= lower)) {
      return "the upper bound (column 2) is " + upper + "; it must be >= the lower bound, or empty or inf when "
          + "there is none (right-censored)";
    }
    return null;
  }

  private static String violated(float v, String objective, Integer numClass) {
    if (!Float.isFinite(v)) {
      return "labels must be finite numbers";
    }
    switch (objective) {
      case "binary:logistic", "binary:logitraw", "binary:hinge", "reg:logistic" -> {
        return v >= 0 && v <= 1 ? null : "labels must be in [0, 1]";
      }
      case "multi:softmax", "multi:softprob" -> {
        return v == Math.rint(v) && v >= 0 && v < numClass ? null
            : "labels must be whole numbers 0 to " + (numClass - 1) + " for num_class=" + numClass;
      }
      case "count:poisson", "reg:tweedie" -> {
        return v >= 0 ? null : "labels must be >= 0";
      }
      case "reg:gamma" -> {
        return v > 0 ? null : "labels must be > 0";
      }
      case "reg:squaredlogerror" -> {
        return v > -1 ? null : "labels must be > -1";
      }
      default -> {
        return null;
      }
    }
  }
}
