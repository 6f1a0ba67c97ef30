package dev.sagebox.engine.linear;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Probabilities;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a linear model in plain Java (a dot product per row needs no native call). Outputs as SageMaker's linear
 * learner: {@code score} (P(1), the class probabilities, or the regression value) and {@code predicted_label}
 * for classifiers. Absent sparse entries are zero; a missing dense value (NaN) counts as the training mean.
 */
final class LinearPredictor implements Predictor {
  static final List<String> KEYS = List.of("score", "predicted_label");
  private final LinearModel model;
  private final ModelManifest manifest;
  private final List<String> outputs;

  LinearPredictor(LinearModel model, ModelManifest manifest, List<String> selected) {
    this.model = model;
    this.manifest = manifest;
    List<String> defaults = model.type() == PredictorType.REGRESSOR ? List.of("score")
        : List.of("score", "predicted_label");
    for (String key : selected) {
      if (!KEYS.contains(key) || (key.equals("predicted_label") && model.type() == PredictorType.REGRESSOR)) {
        throw new UserError("SAGEMAKER_INFERENCE_OUTPUT names output '" + key + "', which a linear-learner "
            + model.predictorType() + " does not produce; accepted: " + String.join(", ", defaults));
      }
    }
    this.outputs = selected.isEmpty() ? defaults : List.copyOf(selected);
  }

  LinearModel model() {
    return model;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Predictions predict(Batch batch) {
    int rows = batch.rows();
    int d = model.features();
    int k = model.outputs();
    float[] x;
    if (batch instanceof DenseBatch dense) {
      x = dense.values();
    } else {
      x = ((SparseBatch) batch).toDense(d);
    }
    float[] z = new float[k];
    float[] scores = k == 1 ? new float[rows] : null;
    float[][] probs = k == 1 ? null : new float[rows][];
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      model.rawOutputs(x, r * d, z);
      switch (model.type()) {
        case BINARY -> {
          float s = (float) (1 / (1 + Math.exp(-z[0])));
          scores[r] = s;
          labels[r] = s > model.threshold() ? 1 : 0;
        }
        case MULTICLASS -> {
          float[] pr = Probabilities.softmax(z);
          probs[r] = pr;
          int best = 0;
          for (int c = 1; c < k; c++) {
            if (pr[c] > pr[best]) {
              best = c;
            }
          }
          labels[r] = best;
        }
        case REGRESSOR -> scores[r] = z[0] * model.labelScale() + model.labelMean();
      }
    }
    Map<String, Column> cols = new LinkedHashMap<>();
    for (String key : outputs) {
      if (key.equals("score")) {
        cols.put(key, probs != null ? new Column.Vectors(probs) : new Column.Scalars(scores));
      } else {
        cols.put(key, new Column.Integers(labels));
      }
    }
    return new Predictions(rows, cols, false);
  }

  @Override
  public void close() {
    // Plain Java arrays: nothing native to release.
  }
}
