package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.SparseBatch;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Builds {@link DMatrix} objects from our batches without copying in Java. */
final class DMatrices {
  private DMatrices() {}

  static DMatrix of(LabeledData data, int width) throws XGBoostError {
    DMatrix m = features(data.features(), width);
    m.setLabel(data.labels());
    if (data.weights() != null) {
      m.setWeight(data.weights());
    }
    return m;
  }

  static DMatrix features(Batch batch, int width) throws XGBoostError {
    if (batch instanceof DenseBatch d) {
      return new DMatrix(d.values(), d.rows(), d.columns(), Float.NaN);
    }
    SparseBatch s = (SparseBatch) batch;
    return new DMatrix(s.rowOffsets(), s.indices(), s.values(), DMatrix.SparseType.CSR, width);
  }
}
