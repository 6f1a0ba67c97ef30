package dev.sagebox.engine.xgboost;

import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.BASE_SCORE;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.CSV_WEIGHTS;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.DATA_MATRIX;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.EARLY_STOPPING_ROUNDS;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.EVAL_METRIC;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.INTERACTION_CONSTRAINTS;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.KFOLD;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.MONOTONE_CONSTRAINTS;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.NTHREAD;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.NUM_CLASS;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.NUM_CV_ROUND;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.NUM_ROUND;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.OBJECTIVE;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.SAVE_MODEL_ON_TERMINATION;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.SEED;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.TREE_METHOD;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.TUNING_OBJECTIVE_METRIC;
import static dev.sagebox.engine.xgboost.XGBoostHyperparameters.UPDATER;

import dev.sagebox.engine.error.HyperparameterError;
import dev.sagebox.engine.params.ParamParser;
import dev.sagebox.engine.params.ParamSpec;
import dev.sagebox.engine.params.ParsedParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Validated XGBoost settings: what the training loop needs, plus the parameter map handed to xgboost4j.
 *
 * @param evalMetrics metrics to log each round; empty means XGBoost's default for the objective
 * @param stoppingMetric the metric early stopping watches ({@code null}: the last one logged)
 * @param kfold the number of cross-validation folds ({@code null}: train one model)
 * @param numCvRound how many times k-fold cross-validation runs, with new folds each time
 * @param seed XGBoost's seed, also the seed of the k-fold split
 */
public record XGBoostParams(int numRound, String objective, Integer numClass, List<String> evalMetrics,
    Integer earlyStoppingRounds, String stoppingMetric, boolean csvWeights, boolean saveModelOnTermination,
    Integer nthread, Map<String, Object> boosterParams, Integer kfold, int numCvRound, int seed,
    DataMatrix dataMatrix) {

  private static final Pattern MONOTONE = Pattern.compile("[(\\[]\\s*-?[01](\\s*,\\s*-?[01])*\\s*[)\\]]");
  private static final Pattern INTERACTION = Pattern.compile(
      "\\[\\s*(\\[\\s*\\d+(\\s*,\\s*\\d+)*\\s*\\]\\s*,?\\s*)+\\]");
  private static final Set<String> UPDATERS = Set.of("grow_colmaker", "grow_histmaker", "grow_quantile_histmaker",
      "grow_gpu_hist", "grow_gpu_approx", "sync", "refresh", "prune", "shotgun", "coord_descent");

  public XGBoostParams {
    evalMetrics = List.copyOf(evalMetrics);
    boosterParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(boosterParams));
  }

  /** Parses and cross-checks the hyperparameters; every problem is a {@link HyperparameterError}. */
  public static XGBoostParams parse(Map<String, String> raw, Consumer<String> warnings) {
    ParsedParams p = new ParamParser("xgboost", XGBoostHyperparameters.ALL).parse(raw, warnings);
    String objective = p.get(OBJECTIVE);
    if (objective.equals("reg:linear")) {
      warnings.accept("objective 'reg:linear' is the old name of 'reg:squarederror'; using reg:squarederror");
      objective = "reg:squarederror";
    }
    ObjectiveKind kind = ObjectiveKind.of(objective);
    Integer numClass = p.get(NUM_CLASS);
    if (kind.isMulti() && numClass == null) {
      throw new HyperparameterError("num_class", "is required with objective " + objective
          + " (an integer >= 2: the number of classes)");
    }
    if (!kind.isMulti() && numClass != null) {
      throw new HyperparameterError("num_class", "is set to " + numClass + " but objective " + objective
          + " is not multi-class; use multi:softmax or multi:softprob, or drop num_class");
    }
    final String chosen = objective;
    List<String> metrics = p.given(EVAL_METRIC).map(m -> EvalMetrics.parse(m, chosen)).orElse(List.of());
    String stopping = null;
    String tuning = p.get(TUNING_OBJECTIVE_METRIC);
    if (tuning != null) {
      if (!tuning.startsWith("validation:")) {
        throw new HyperparameterError("_tuning_objective_metric", "'" + tuning
            + "' must name a validation metric, such as validation:auc");
      }
      stopping = tuning.substring("validation:".length());
      if (!metrics.isEmpty() && !metrics.contains(stopping)) {
        List<String> extended = new java.util.ArrayList<>(metrics);
        extended.add(stopping);
        metrics = EvalMetrics.parse(String.join(",", extended), objective);
      } else if (metrics.isEmpty()) {
        metrics = EvalMetrics.parse(stopping, objective);
      }
    }

    Map<String, Object> booster = new LinkedHashMap<>();
    for (Map.Entry<ParamSpec<?>, Object> e : p.all().entrySet()) {
      if (e.getKey().use() == ParamSpec.Use.NATIVE) {
        booster.put(e.getKey().name(), e.getValue());
      }
    }
    booster.put("objective", objective);
    // SageMaker's default; also keeps models identical when read by XGBoost 1.x, which drops 3.x's intercept.
    booster.putIfAbsent("base_score", p.get(BASE_SCORE));
    String treeMethod = p.get(TREE_METHOD);
    if (treeMethod.equals("gpu_hist")) {
      booster.put("tree_method", "hist");
      booster.put("device", "cuda");
      warnings.accept("tree_method 'gpu_hist' is spelled tree_method=hist, device=cuda since XGBoost 2; using that");
    } else if (p.isGiven(TREE_METHOD)) {
      booster.put("tree_method", treeMethod);
    }
    String monotone = p.get(MONOTONE_CONSTRAINTS);
    if (monotone != null) {
      if (!MONOTONE.matcher(monotone).matches()) {
        throw new HyperparameterError("monotone_constraints", "value '" + monotone + "' is invalid: expected "
            + MONOTONE_CONSTRAINTS.type().describe());
      }
      if (!Set.of("auto", "exact", "hist").contains(treeMethod)) {
        throw new HyperparameterError("monotone_constraints", "needs tree_method exact or hist, not " + treeMethod);
      }
      booster.put("monotone_constraints", "(" + monotone.replaceAll("[\\[\\]()\\s]", "") + ")");
    }
    String interaction = p.get(INTERACTION_CONSTRAINTS);
    if (interaction != null) {
      if (!INTERACTION.matcher(interaction).matches()) {
        throw new HyperparameterError("interaction_constraints", "value '" + interaction + "' is invalid: expected "
            + INTERACTION_CONSTRAINTS.type().describe());
      }
      if (treeMethod.equals("gpu_hist")) {
        throw new HyperparameterError("interaction_constraints", "needs tree_method exact, approx or hist");
      }
    }
    String updater = p.get(UPDATER);
    if (updater != null) {
      for (String u : updater.split(",")) {
        if (!UPDATERS.contains(u.strip())) {
          throw new HyperparameterError("updater", "unknown updater '" + u.strip() + "'; accepted: "
              + String.join(", ", new java.util.TreeSet<>(UPDATERS)));
        }
      }
    }
    Integer kfold = p.get(KFOLD);
    if (kfold == null && p.isGiven(NUM_CV_ROUND)) {
      warnings.accept("_num_cv_round is set but _kfold is not; it only repeats k-fold cross-validation, so it is "
          + "ignored");
    }
    return new XGBoostParams(p.get(NUM_ROUND), objective, numClass, metrics, p.get(EARLY_STOPPING_ROUNDS), stopping,
        p.get(CSV_WEIGHTS) == 1, p.get(SAVE_MODEL_ON_TERMINATION), p.get(NTHREAD), booster, kfold,
        p.get(NUM_CV_ROUND), p.get(SEED), DataMatrix.of(p.get(DATA_MATRIX)));
  }

  ObjectiveKind kind() {
    return ObjectiveKind.of(objective);
  }
}
