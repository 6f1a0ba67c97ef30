package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Probabilities;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns raw XGBoost predictions into the outputs a caller asked for (SageMaker's selectable inference output,
 * CONTRACT.md §C.6), or into the default {@code score}. A key that does not apply to the objective gives NaN, as
 * SageMaker does, with a warning when the predictor is created.
 */
final class XGBoostOutputs {
  static final List<String> KEYS = List.of("predicted_label", "labels", "probability", "probabilities", "raw_score",
      "raw_scores", "predicted_score");

  private final ObjectiveKind kind;
  private final int numClass;
  private final List<String> selected;

  XGBoostOutputs(ObjectiveKind kind, int numClass, List<String> selected, String objective, Consumer<String> warn) {
    this.kind = kind;
    this.numClass = numClass;
    this.selected = List.copyOf(selected);
    for (String key : selected) {
      if (!KEYS.contains(key)) {
        throw new UserError("SAGEMAKER_INFERENCE_OUTPUT names unknown output '" + key + "'; accepted: "
            + String.join(", ", KEYS));
      }
      if (!applies(key)) {
        warn.accept("output '" + key + "' does not apply to objective " + objective + "; it will be NaN/null");
      }
    }
  }

  /** True when a margin prediction is needed as well (softmax probabilities). */
  boolean needsMargin() {
    return kind == ObjectiveKind.MULTI_CLASS
        && (selected.contains("probability") || selected.contains("probabilities"));
  }

  private boolean applies(String key) {
    return switch (key) {
      case "predicted_label", "labels" -> kind.isClassification();
      case "probability", "probabilities" -> kind == ObjectiveKind.BINARY_PROBABILITY || kind.isMulti();
      case "raw_score", "raw_scores" -> kind.isClassification();
      case "predicted_score" -> kind == ObjectiveKind.REGRESSION;
      default -> false;
    };
  }

  /**
   * @param values predictions as XGBoost returns them: one row per record, one value (or num_class values)
   * @param margins margins for softmax probabilities, or null
   */
  Predictions build(float[][] values, float[][] margins) {
    int rows = values.length;
    Map<String, Column> out = new LinkedHashMap<>();
    if (selected.isEmpty()) {
      out.put("score", values.length > 0 && values[0].length > 1 ? new Column.Vectors(values) : scalars(values));
      return new Predictions(rows, out, false);
    }
    for (String key : selected) {
      out.put(key, applies(key) ? column(key, values, margins) : nan(rows));
    }
    return new Predictions(rows, out, true);
  }

  private Column column(String key, float[][] v, float[][] margins) {
    int rows = v.length;
    switch (key) {
      case "predicted_label" -> {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
          labels[r] = switch (kind) {
            case BINARY_PROBABILITY -> v[r][0] > 0.5f ? 1 : 0;
            case BINARY_MARGIN -> v[r][0] > 0f ? 1 : 0;
            case BINARY_HINGE, MULTI_CLASS -> (int) v[r][0];
            default -> argmax(v[r]);
          };
        }
        return new Column.Integers(labels);
      }
      case "labels" -> {
        int k = kind.isBinary() ? 2 : numClass;
        int[] all = new int[k];
        Arrays.setAll(all, i -> i);
        int[][] rowsOut = new int[rows][];
        Arrays.fill(rowsOut, all);
        return new Column.IntVectors(rowsOut);
      }
      case "probability" -> {
        float[][] p = probabilities(v, margins);
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
          out[r] = kind == ObjectiveKind.BINARY_PROBABILITY ? v[r][0] : max(p[r]);
        }
        return new Column.Scalars(out);
      }
      case "probabilities" -> {
        return new Column.Vectors(probabilities(v, margins));
      }
      case "raw_score" -> {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
          out[r] = v[r].length > 1 ? max(v[r]) : v[r][0];
        }
        return new Column.Scalars(out);
      }
      case "raw_scores" -> {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
          out[r] = v[r].length > 1 ? v[r] : new float[] {1f - v[r][0], v[r][0]};
        }
        return new Column.Vectors(out);
      }
      default -> {
        return scalars(v);
      }
    }
  }

  private float[][] probabilities(float[][] v, float[][] margins) {
    int rows = v.length;
    float[][] p = new float[rows][];
    for (int r = 0; r < rows; r++) {
      if (kind == ObjectiveKind.BINARY_PROBABILITY) {
        p[r] = new float[] {1f - v[r][0], v[r][0]};
      } else if (kind == ObjectiveKind.MULTI_CLASS) {
        p[r] = Probabilities.softmax(margins[r]);
      } else {
        p[r] = v[r];
      }
    }
    return p;
  }

  private static Column scalars(float[][] v) {
    float[] out = new float[v.length];
    for (int r = 0; r < v.length; r++) {
      out[r] = v[r][0];
    }
    return new Column.Scalars(out);
  }

  private static Column nan(int rows) {
    float[] out = new float[rows];
    Arrays.fill(out, Float.NaN);
    return new Column.Scalars(out);
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static float max(float[] row) {
    float m = row[0];
    for (float x : row) {
      m = Math.max(m, x);
    }
    return m;
  }
}
