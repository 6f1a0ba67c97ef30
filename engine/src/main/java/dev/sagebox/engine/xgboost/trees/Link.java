package dev.sagebox.engine.xgboost.trees;

import java.util.Optional;

/**
 * How an objective turns margins into predictions, and its base score into a base margin, as XGBoost does
 * ({@code PredTransform} and {@code ProbToMargin}; single-precision arithmetic like XGBoost's CPU code).
 */
public enum Link {
  /** Regression, ranking, {@code binary:logitraw}: the margin is the prediction. */
  IDENTITY,
  /** {@code reg:quantileerror}: the margins, sorted ascending when there are several quantiles (no crossing). */
  QUANTILES,
  /** {@code binary:logistic}, {@code reg:logistic}: 1 / (1 + e^-margin). */
  SIGMOID,
  /** {@code count:poisson}, {@code reg:gamma}, {@code reg:tweedie}, {@code survival:cox}, {@code survival:aft}. */
  EXP,
  /** {@code binary:hinge}: 1 when the margin is positive, else 0. */
  HINGE,
  /** {@code multi:softprob}: softmax over the class margins. */
  SOFTMAX,
  /** {@code multi:softmax}: the index of the largest class margin. */
  ARGMAX;

  /** The link of an objective, or empty when this evaluator does not know it. */
  public static Optional<Link> of(String objective) {
    return Optional.ofNullable(switch (objective) {
      case "reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror", "reg:absoluteerror",
          "binary:logitraw", "rank:pairwise", "rank:ndcg", "rank:map" -> IDENTITY;
      case "binary:logistic", "reg:logistic" -> SIGMOID;
      case "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft" -> EXP;
      case "reg:quantileerror" -> QUANTILES;
      case "binary:hinge" -> HINGE;
      case "multi:softprob" -> SOFTMAX;
      case "multi:softmax" -> ARGMAX;
      default -> null;
    });
  }

  /** The margin XGBoost starts every row from, given the model's stored {@code base_score} of {@code objective}. */
  static float baseMargin(String objective, float baseScore) {
    return switch (objective) {
      case "binary:logistic", "reg:logistic" -> (float) -Math.log(1f / baseScore - 1f);
      case "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft" ->
          (float) Math.log(baseScore);
      default -> baseScore;
    };
  }

  /** Number of values per row in the output for {@code groups} margins per row. */
  int width(int groups) {
    return this == ARGMAX ? 1 : groups;
  }

  /**
   * Writes the prediction of one row's margins {@code m[from, from + groups)} into {@code out}, which holds
   * {@link #width} values ({@link #ARGMAX} writes only {@code out[0]}).
   */
  void apply(float[] m, int from, int groups, float[] out) {
    switch (this) {
      case IDENTITY -> System.arraycopy(m, from, out, 0, groups);
      case QUANTILES -> {
        System.arraycopy(m, from, out, 0, groups);
        java.util.Arrays.sort(out, 0, groups);
      }
      case SIGMOID -> {
        for (int g = 0; g < groups; g++) {
          out[g] = 1f / (1f + (float) Math.exp(-m[from + g]));
        }
      }
      case EXP -> {
        for (int g = 0; g < groups; g++) {
          out[g] = (float) Math.exp(m[from + g]);
        }
      }
      case HINGE -> {
        for (int g = 0; g < groups; g++) {
          out[g] = m[from + g] > 0f ? 1f : 0f;
        }
      }
      case SOFTMAX -> {
        float max = m[from];
        for (int g = 1; g < groups; g++) {
          max = Math.max(max, m[from + g]);
        }
        double sum = 0;
        for (int g = 0; g < groups; g++) {
          out[g] = (float) Math.exp(m[from + g] - max);
          sum += out[g];
        }
        float total = (float) sum;
        for (int g = 0; g < groups; g++) {
          out[g] /= total;
        }
      }
      case ARGMAX -> {
        int best = 0;
        for (int g = 1; g < groups; g++) {
          if (m[from + g] > m[from + best]) {
            best = g;
          }
        }
        out[0] = best;
      }
    }
  }
}
