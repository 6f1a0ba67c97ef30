package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Serves one XGBoost booster. Dense rows go through {@code inplace_predict} (no DMatrix); sparse rows through a
 * short-lived CSR DMatrix. XGBoost's prediction is thread-safe since 1.4, so one booster serves all threads.
 */
final class XGBoostPredictor implements Predictor {
  private final Booster booster;
  private final ModelManifest manifest;
  private final XGBoostOutputs outputs;

  XGBoostPredictor(Booster booster, ModelManifest manifest, XGBoostOutputs outputs) {
    this.booster = booster;
    this.manifest = manifest;
    this.outputs = outputs;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Predictions predict(Batch batch) {
    if (batch.rows() == 0) {
      return outputs.build(new float[0][], null);
    }
    try {
      float[][] values;
      float[][] margins = null;
      if (batch instanceof DenseBatch d) {
        values = booster.inplace_predict(d.values(), d.rows(), d.columns(), Float.NaN);
        if (outputs.needsMargin()) {
          margins = booster.inplace_predict(d.values(), d.rows(), d.columns(), Float.NaN, null,
              Booster.PredictionType.kMargin, null);
        }
      } else {
        DMatrix m = DMatrices.features(batch, manifest.featureCount());
        try {
          values = booster.predict(m);
          if (outputs.needsMargin()) {
            margins = booster.predict(m, true);
          }
        } finally {
          m.dispose();
        }
      }
      return outputs.build(values, margins);
    } catch (XGBoostError e) {
      throw new AlgorithmError("XGBoost prediction failed: " + XGBoostTrainer.firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    booster.dispose();
  }
}
