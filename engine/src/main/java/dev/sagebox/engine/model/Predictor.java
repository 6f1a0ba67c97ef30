package dev.sagebox.engine.model;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.LibsvmIndexing;

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

  /**
   * How libsvm request indices are numbered: as recorded at training, or AWS's per-request rule for a model that
   * Sagebox did not train (its manifest is derived, detail {@code foreign_model}).
   */
  default LibsvmIndexing libsvmIndexing() {
    if ("true".equals(manifest().details().get("foreign_model"))) {
      return LibsvmIndexing.PER_REQUEST;
    }
    return LibsvmIndexing.fromManifest(manifest().details().get(LibsvmIndexing.MANIFEST_KEY));
  }

  /** Predicts every row of {@code batch}; rows must already have {@link #featureCount()} columns. */
  Predictions predict(Batch batch);

  @Override
  void close();
}
