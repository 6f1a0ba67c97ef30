package dev.sagebox.engine.linear;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a linear-learner predictor answers, shared by the Java and the ONNX Runtime predictors so that both give the
 * same columns, in the same order, with the same errors: {@code score} (P(1), the class probabilities, or the
 * regression value) and {@code predicted_label} for classifiers, or the outputs the caller selected.
 */
record LinearOutputs(List<String> keys) {
  static final List<String> ALL = List.of("score", "predicted_label");

  LinearOutputs {
    keys = List.copyOf(keys);
  }

  /** The outputs for {@code model}: {@code selected} (checked) or the task's defaults when it is empty. */
  static LinearOutputs select(LinearModel model, List<String> selected) {
    List<String> defaults = model.type() == PredictorType.REGRESSOR ? List.of("score")
        : List.of("score", "predicted_label");
    for (String key : selected) {
      if (!ALL.contains(key) || (key.equals("predicted_label") && model.type() == PredictorType.REGRESSOR)) {
        throw new UserError("SAGEMAKER_INFERENCE_OUTPUT names output '" + key + "', which a linear-learner "
            + model.predictorType() + " does not produce; accepted: " + String.join(", ", defaults));
      }
    }
    return new LinearOutputs(selected.isEmpty() ? defaults : selected);
  }

  boolean wants(String key) {
    return keys.contains(key);
  }

  /**
   * The rows of {@code batch} as a dense row-major array of width {@code features}: dense values as they are
   * (a missing value stays NaN), sparse rows widened with absent entries zero.
   */
  static float[] denseRows(Batch batch, int features) {
    if (batch instanceof DenseBatch dense) {
      return dense.values();
    }
    return ((SparseBatch) batch).toDense(features);
  }

  /**
   * The answer from per-row results: {@code scores} (binary or regression) or {@code probabilities} (multiclass),
   * and {@code labels} (classifiers; ignored unless selected).
   */
  Predictions predictions(int rows, float[] scores, float[][] probabilities, int[] labels) {
    Map<String, Column> cols = new LinkedHashMap<>();
    for (String key : keys) {
      if (key.equals("score")) {
        cols.put(key, probabilities != null ? new Column.Vectors(probabilities) : new Column.Scalars(scores));
      } else {
        cols.put(key, new Column.Integers(labels));
      }
    }
    return new Predictions(rows, cols, false);
  }
}
