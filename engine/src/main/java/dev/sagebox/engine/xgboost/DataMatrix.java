package dev.sagebox.engine.xgboost;

import java.util.Locale;

/** How XGBoost holds the training data (hyperparameter {@code data_matrix}). */
enum DataMatrix {
  /** FLOAT when the data fits the memory budget, else EXTERNAL. */
  AUTO,
  /** xgboost4j's float DMatrix; the hist index is built from it in the first round. */
  FLOAT,
  /** XGBoost's quantile matrix built block by block through the C API: only the quantised index is kept. */
  QUANTILE,
  /** The quantile matrix in pages on local disk, the channel streamed from its files on each pass. */
  EXTERNAL;

  static DataMatrix of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
