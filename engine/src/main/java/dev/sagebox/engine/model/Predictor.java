package dev.sagebox.engine.model;

import dev.sagebox.engine.data.Batch;

/**
 * A loaded model answering batches. Implementations are safe to call from many threads at once and own their
 * native handles until {@link #close()}.
 */
public interface Predictor extends AutoCloseable {

  ModelManifest manifest();

  /** Number of features every row must have. */
  default int featureCount() {
    return manifest().featureCount();
  }

  /** Predicts every row of {@code batch}; rows must already have {@link #featureCount()} columns. */
  Predictions predict(Batch batch);

  @Override
  void close();
}
