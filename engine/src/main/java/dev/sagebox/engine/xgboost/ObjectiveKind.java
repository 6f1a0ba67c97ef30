package dev.sagebox.engine.xgboost;

import java.util.List;

/** What an XGBoost objective predicts, which decides the valid outputs and label checks. */
enum ObjectiveKind {
  BINARY_PROBABILITY, BINARY_MARGIN, BINARY_HINGE, MULTI_CLASS, MULTI_PROBABILITY, REGRESSION, RANKING, SURVIVAL;

  static ObjectiveKind of(String objective) {
    return switch (objective) {
      case "binary:logistic" -> BINARY_PROBABILITY;
      case "binary:logitraw" -> BINARY_MARGIN;
      case "binary:hinge" -> BINARY_HINGE;
      case "multi:softmax" -> MULTI_CLASS;
      case "multi:softprob" -> MULTI_PROBABILITY;
      case "rank:pairwise", "rank:ndcg", "rank:map" -> RANKING;
      case "survival:aft", "survival:cox" -> SURVIVAL;
      default -> REGRESSION;
    };
  }

  boolean isBinary() {
    return this == BINARY_PROBABILITY || this == BINARY_MARGIN || this == BINARY_HINGE;
  }

  boolean isMulti() {
    return this == MULTI_CLASS || this == MULTI_PROBABILITY;
  }

  /** Ensembles of these objectives predict class numbers, so their members vote instead of being averaged. */
  boolean votes() {
    return this == MULTI_CLASS || this == BINARY_HINGE;
  }

  boolean isClassification() {
    return isBinary() || isMulti();
  }

  /** Objectives SageMaker's XGBoost accepts (CONTRACT.md §C.3). */
  static final List<String> NAMES = List.of("binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson",
      "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear",
      "reg:squarederror", "reg:logistic", "reg:gamma", "reg:pseudohubererror", "reg:squaredlogerror",
      "reg:absoluteerror", "reg:tweedie", "survival:aft", "survival:cox");
}
