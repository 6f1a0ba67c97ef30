package dev.sagebox.engine.linear;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.QualityMetric;
import dev.sagebox.engine.model.TrainingListener;

/** Scores of the chosen model on a whole channel (the test channel), logged as metric lines. */
final class FinalScores {
  private FinalScores() {}

  static void log(TrainingListener log, String host, String set, LinearPredictor predictor, LinearTrainer.Rows r) {
    Predictions out = predictor.predict(new DenseBatch(r.n(), r.d(), r.x()));
    Column score = out.columns().get("score");
    int n = r.n();
    float[] y = r.y();
    switch (predictor.model().type()) {
      case BINARY -> {
        float[] s = ((Column.Scalars) score).values();
        int[] labels = ((Column.Integers) out.columns().get("predicted_label")).values();
        int ok = 0;
        for (int i = 0; i < n; i++) {
          ok += labels[i] == (int) y[i] ? 1 : 0;
        }
        line(log, host, set, "binary_classification_accuracy", ok / (double) n);
        line(log, host, set, "roc_auc_score", Metrics.auc(s, y, n));
      }
      case MULTICLASS -> {
        int[] labels = ((Column.Integers) out.columns().get("predicted_label")).values();
        int ok = 0;
        for (int i = 0; i < n; i++) {
          ok += labels[i] == (int) y[i] ? 1 : 0;
        }
        line(log, host, set, "multiclass_accuracy", ok / (double) n);
      }
      case REGRESSOR -> {
        float[] s = ((Column.Scalars) score).values();
        double mse = Metrics.mse(s, y, n);
        line(log, host, set, "mse", mse);
        line(log, host, set, "rmse", Math.sqrt(mse));
        line(log, host, set, "absolute_loss", Metrics.mae(s, y, n));
      }
    }
  }

  private static void line(TrainingListener log, String host, String set, String name, double v) {
    log.metricLine(QualityMetric.line(host, "final", set, name, v));
  }
}
