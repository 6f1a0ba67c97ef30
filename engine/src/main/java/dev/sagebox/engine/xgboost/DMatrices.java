package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.SparseBatch;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/** Builds {@link DMatrix} objects from our batches without copying in Java. */
final class DMatrices {
  private DMatrices() {}

  static DMatrix of(LabeledData data, int width) throws XGBoostError {
    return of(TrainingRows.of(data), width);
  }

  static DMatrix of(TrainingRows data, int width) throws XGBoostError {
    DMatrix m = features(data.features(), width);
    try {
      m.setLabel(data.labels());
      if (data.weights() != null) {
        m.setWeight(data.weights());
      }
      if (data.upperBounds() != null) {
        // xgboost4j has no setter for the interval bounds of survival:aft; its JNI binding does.
        setFloatInfo(m, "label_lower_bound", data.labels());
        setFloatInfo(m, "label_upper_bound", data.upperBounds());
      }
      return m;
    } catch (XGBoostError | RuntimeException e) {
      m.dispose();
      throw e;
    }
  }

  static DMatrix features(Batch batch, int width) throws XGBoostError {
    if (batch instanceof DenseBatch d) {
      return new DMatrix(d.values(), d.rows(), d.columns(), Float.NaN);
    }
    SparseBatch s = (SparseBatch) batch;
    return new DMatrix(s.rowOffsets(), s.indices(), s.values(), DMatrix.SparseType.CSR, width);
  }

  private static void setFloatInfo(DMatrix m, String field, float[] values) throws XGBoostError {
    if (XGBoostJNI.XGDMatrixSetFloatInfo(m.getHandle(), field, values) != 0) {
      throw new XGBoostError(XGBoostJNI.XGBGetLastError());
    }
  }
}
