package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The in-memory training and validation matrices of one training. With {@code data_matrix=quantile}, where the
 * booster can train from XGBoost's quantile matrix (tree method {@code auto} or {@code hist} on the CPU, no explicit
 * updater list) and the JVM reaches XGBoost's C API, they are quantile matrices built block by block, the validation one with the training one's cuts (as XGBoost's
 * {@code QuantileDMatrix(..., ref=)} does): XGBoost never holds a float copy of the data. Otherwise they are
 * xgboost4j's float {@code DMatrix} ({@link DMatrices}), the default: measured here, its rounds run faster (see
 * benchmarks/RESULTS.md, "Quantile matrices"), at the cost of a float copy of the data.
 */
final class TrainingMatrices {
  /** Rows per block handed to XGBoost: ~7 MB of features at 28 columns, copied into a reused off-heap buffer. */
  static final int BLOCK_ROWS = 65_536;

  private final QuantileMatrices quantile;
  private final String description;

  private TrainingMatrices(QuantileMatrices quantile, String description) {
    this.quantile = quantile;
    this.description = description;
  }

  /** Quantile matrices when {@code params} and this JVM allow them; the reason for the choice goes to the log. */
  static TrainingMatrices choose(XGBoostParams params, int threads, TrainingListener log) {
    if (params.dataMatrix() != DataMatrix.QUANTILE) {
      return new TrainingMatrices(null, "xgboost4j float DMatrix");
    }
    Optional<String> blocker = quantileBlocker(params.boosterParams());
    if (blocker.isPresent()) {
      log.warn("data_matrix quantile does not work with " + blocker.get() + "; using a float DMatrix");
      return new TrainingMatrices(null, "xgboost4j float DMatrix (" + blocker.get() + ")");
    }
    StringBuilder why = new StringBuilder();
    Optional<XGBoostCApi> api = CApiAccess.open(why::append);
    if (api.isEmpty()) {
      log.warn("XGBoost's quantile matrix is not available (" + why + "); training from a float copy of the data, "
          + "which needs more memory and time");
      return new TrainingMatrices(null, "xgboost4j DMatrix");
    }
    return new TrainingMatrices(new QuantileMatrices(api.get(), threads, maxBin(params.boosterParams())),
        "quantile matrix, blocks of " + BLOCK_ROWS + " rows by reference; validation: float DMatrix");
  }

  /** Why the booster needs a float DMatrix, or empty when a quantile matrix serves. */
  static Optional<String> quantileBlocker(Map<String, Object> booster) {
    String treeMethod = String.valueOf(booster.getOrDefault("tree_method", "auto"));
    if (!treeMethod.equals("auto") && !treeMethod.equals("hist")) {
      return Optional.of("tree_method " + treeMethod);
    }
    if ("gblinear".equals(String.valueOf(booster.get("booster")))) {
      return Optional.of("booster gblinear");
    }
    if (booster.containsKey("updater")) {
      return Optional.of("an explicit updater list");
    }
    if ("update".equals(String.valueOf(booster.get("process_type")))) {
      return Optional.of("process_type update");
    }
    if (booster.containsKey("device") && !"cpu".equals(String.valueOf(booster.get("device")))) {
      return Optional.of("device " + booster.get("device"));
    }
    return Optional.empty();
  }

  /** The booster's {@code max_bin} (XGBoost refuses a quantile matrix made with another). */
  static int maxBin(Map<String, Object> booster) {
    Object v = booster.getOrDefault("max_bin", 256);
    return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString());
  }

  /** What the matrices are, for the log. */
  String description() {
    return description;
  }

  DMatrix train(TrainingRows rows, int width) throws XGBoostError {
    return quantile == null ? DMatrices.of(rows, width) : quantile(rows, width);
  }

  /**
   * The validation matrix: a float DMatrix in both cases. It is only predicted, once per round for its metrics, and
   * XGBoost predicts a quantile matrix about twenty times slower than a float one (it rebuilds every row's values from
   * the bins each time: ~100 ms per round for 200,000 rows x 28 against ~5 ms, measured with EvalCostProbe), which
   * made the quantile option's rounds the slower ones; the float copy costs 8 bytes per value instead of 1, for the
   * validation rows only. ({@code train} is not needed for it; a quantile validation matrix would take its cuts.)
   */
  DMatrix validation(TrainingRows rows, int width, DMatrix train) throws XGBoostError {
    return DMatrices.of(rows, width);
  }

  private DMatrix quantile(TrainingRows rows, int width) throws XGBoostError {
    try {
      return quantile.inMemory(RowBlocks.inMemory(rows, BLOCK_ROWS), width, null);
    } catch (XGBoostError | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AlgorithmError("building XGBoost's quantile matrix failed: " + e, e);
    }
  }
}
