package dev.sagebox.engine.linear;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Probabilities;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import java.util.List;

/**
 * Serves a linear model in plain Java (a dot product per row needs no native call). Outputs as SageMaker's linear
 * learner: {@code score} (P(1), the class probabilities, or the regression value) and {@code predicted_label}
 * for classifiers. Absent sparse entries are zero; a missing dense value (NaN) counts as the training mean.
 */
final class LinearPredictor implements Predictor {
  private final LinearModel model;
  private final ModelManifest manifest;
  private final LinearOutputs outputs;

  LinearPredictor(LinearModel model, ModelManifest manifest, List<String> selected) {
    this.model = model;
    this.manifest = manifest;
    this.outputs = LinearOutputs.select(model, selected);
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
    float[] x = LinearOutputs.denseRows(batch, d);
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
    return outputs.predictions(rows, scores, probs, labels);
  }

  @Override
  public void close() {
    // Plain Java arrays: nothing native to release.
  }
}
