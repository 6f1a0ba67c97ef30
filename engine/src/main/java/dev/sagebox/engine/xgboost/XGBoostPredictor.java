package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.xgboost.trees.TreeEnsemble;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Serves one XGBoost booster, or an ensemble of them (k-fold models, several files in a folder) combined as
 * SageMaker's XGBoost does: the mean of the members' predictions, or a majority vote for objectives that predict a
 * class number (multi:softmax, binary:hinge; ties go to the smaller class). Dense rows go through
 * {@code inplace_predict} (no DMatrix), or, up to {@link SmallBatchEvaluators#MAX_ROWS} rows, through the Java tree
 * evaluator checked against it at load (dense or sparse rows); larger sparse batches through a short-lived CSR
 * DMatrix. XGBoost's prediction is
 * thread-safe since 1.4, so one booster serves all threads.
 */
final class XGBoostPredictor implements Predictor {
  private final List<Booster> boosters;
  /** Per booster: the Java evaluator for small dense batches, or null (XGBoost answers everything). */
  private final List<TreeEnsemble> small;
  private final ModelManifest manifest;
  private final XGBoostOutputs outputs;
  private final boolean vote;
  /** False once a booster refused in-place prediction (gblinear); dense rows then go through a DMatrix. */
  private volatile boolean inplace = true;

  XGBoostPredictor(List<Booster> boosters, List<TreeEnsemble> small, ModelManifest manifest, XGBoostOutputs outputs,
      boolean vote) {
    this.boosters = List.copyOf(boosters);
    this.small = new java.util.ArrayList<>(small);
    this.manifest = manifest;
    this.outputs = outputs;
    this.vote = vote;
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
      if (boosters.size() == 1) {
        Raw r = predictOne(0, batch);
        return outputs.build(r.values, r.margins);
      }
      float[][][] values = new float[boosters.size()][][];
      float[][][] margins = outputs.needsMargin() ? new float[boosters.size()][][] : null;
      for (int b = 0; b < boosters.size(); b++) {
        Raw r = predictOne(b, batch);
        values[b] = r.values;
        if (margins != null) {
          margins[b] = r.margins;
        }
      }
      return outputs.build(vote ? Ensembles.vote(values) : Ensembles.mean(values),
          margins == null ? null : Ensembles.mean(margins));
    } catch (XGBoostError e) {
      throw new AlgorithmError("XGBoost prediction failed: " + XGBoostTrainer.firstLine(e.getMessage()), e);
    }
  }

  private record Raw(float[][] values, float[][] margins) {}

  private Raw predictOne(int member, Batch batch) throws XGBoostError {
    Booster booster = boosters.get(member);
    TreeEnsemble trees = small.get(member);
    if (trees != null && batch.rows() <= SmallBatchEvaluators.MAX_ROWS) {
      float[] m = batch instanceof DenseBatch d ? trees.margins(d.values(), d.rows(), d.columns())
          : sparseMargins(trees, (SparseBatch) batch);
      return new Raw(trees.predict(m, batch.rows()), outputs.needsMargin() ? trees.marginRows(m, batch.rows())
          : null);
    }
    float[][] values;
    float[][] margins = null;
    if (batch instanceof DenseBatch d && inplace) {
      try {
        return inplace(booster, d);
      } catch (XGBoostError e) {
        if (!String.valueOf(e.getMessage()).contains("not supported")) {
          throw e;
        }
        // gblinear has no in-place prediction in XGBoost 3: use a DMatrix from now on.
        inplace = false;
      }
    }
    DMatrix m = DMatrices.features(batch, manifest.featureCount());
    try {
      values = booster.predict(m);
      if (outputs.needsMargin()) {
        margins = booster.predict(m, true);
      }
    } finally {
      m.dispose();
    }
    return new Raw(values, margins);
  }

  private float[] sparseMargins(TreeEnsemble trees, SparseBatch sp) {
    return trees.marginsSparse(sp.rowOffsets(), sp.indices(), sp.values(), sp.rows(),
        Math.max(sp.columns(), manifest.featureCount()));
  }

  /**
   * Rows per native call for large batches: xgboost4j copies the whole float array through JNI, so a 100 MB batch
   * request would otherwise hold its floats twice. The chunks go through one reused array of this many rows (xgboost4j
   * reads only {@code rows x columns} values of it), so the extra copy is about a megabyte and makes no garbage.
   */
  static final int CHUNK_ROWS = 8_192;

  private Raw inplace(Booster booster, DenseBatch d) throws XGBoostError {
    if (d.rows() <= CHUNK_ROWS) {
      return inplace(booster, d.values(), d.rows(), d.columns());
    }
    float[][] values = new float[d.rows()][];
    float[][] margins = outputs.needsMargin() ? new float[d.rows()][] : null;
    float[] part = new float[CHUNK_ROWS * d.columns()];
    for (int from = 0; from < d.rows(); from += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, d.rows() - from);
      System.arraycopy(d.values(), from * d.columns(), part, 0, n * d.columns());
      Raw r = inplace(booster, part, n, d.columns());
      System.arraycopy(r.values, 0, values, from, n);
      if (margins != null) {
        System.arraycopy(r.margins, 0, margins, from, n);
      }
    }
    return new Raw(values, margins);
  }

  private Raw inplace(Booster booster, float[] x, int rows, int columns) throws XGBoostError {
    float[][] values = booster.inplace_predict(x, rows, columns, Float.NaN);
    float[][] margins = null;
    if (outputs.needsMargin()) {
      margins = booster.inplace_predict(x, rows, columns, Float.NaN, new int[] {0, 0},
          Booster.PredictionType.kMargin, null);
    }
    return new Raw(values, margins);
  }

  @Override
  public void close() {
    boosters.forEach(Booster::dispose);
  }
}
