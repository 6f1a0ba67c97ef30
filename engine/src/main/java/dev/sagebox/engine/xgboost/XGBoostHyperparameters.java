package dev.sagebox.engine.xgboost;

import static dev.sagebox.engine.params.ParamSpec.Use.DEPRECATED;
import static dev.sagebox.engine.params.ParamSpec.Use.NATIVE;
import static dev.sagebox.engine.params.ParamSpec.Use.NOT_IMPLEMENTED;
import static dev.sagebox.engine.params.ParamSpec.Use.SAGEBOX;
import static dev.sagebox.engine.params.ParamType.bool;
import static dev.sagebox.engine.params.ParamType.choice;
import static dev.sagebox.engine.params.ParamType.integer;
import static dev.sagebox.engine.params.ParamType.real;
import static dev.sagebox.engine.params.ParamType.text;

import dev.sagebox.engine.device.ComputeDevice;
import dev.sagebox.engine.params.ParamSpec;
import java.util.List;

/**
 * The hyperparameters of SageMaker's built-in XGBoost (CONTRACT.md §C.3): names, aliases, types, ranges and
 * defaults. Values marked NATIVE go to xgboost4j as given; SAGEBOX ones drive our training loop.
 */
public final class XGBoostHyperparameters {
  private XGBoostHyperparameters() {}

  static final double INF = Double.POSITIVE_INFINITY;

  public static final ParamSpec<Integer> NUM_ROUND =
      ParamSpec.of("num_round", integer(1, Integer.MAX_VALUE), null, SAGEBOX).requiredParam();
  public static final ParamSpec<Integer> NUM_CLASS = ParamSpec.of("num_class", integer(2, Integer.MAX_VALUE), null,
      NATIVE);
  public static final ParamSpec<String> OBJECTIVE = ParamSpec.of("objective",
      choice(ObjectiveKind.NAMES.toArray(String[]::new)), "reg:squarederror", NATIVE);
  public static final ParamSpec<String> EVAL_METRIC = ParamSpec.of("eval_metric",
      text("a comma-separated list of metrics"), null, SAGEBOX);
  public static final ParamSpec<Integer> EARLY_STOPPING_ROUNDS = ParamSpec.of("early_stopping_rounds",
      integer(1, Integer.MAX_VALUE), null, SAGEBOX);
  public static final ParamSpec<Integer> CSV_WEIGHTS = ParamSpec.of("csv_weights", integer(0, 1), 0, SAGEBOX);
  public static final ParamSpec<String> TREE_METHOD = ParamSpec.of("tree_method",
      choice("auto", "exact", "approx", "hist", "gpu_hist"), "auto", SAGEBOX);
  public static final ParamSpec<String> MONOTONE_CONSTRAINTS = ParamSpec.of("monotone_constraints",
      text("a list of -1, 0 and 1, one per feature, such as (1,0,-1)"), null, NATIVE);
  public static final ParamSpec<String> INTERACTION_CONSTRAINTS = ParamSpec.of("interaction_constraints",
      text("a nested list of feature indices such as [[0,1],[2,3]]"), null, NATIVE);
  public static final ParamSpec<String> UPDATER = ParamSpec.of("updater",
      text("a comma-separated list of updaters"), null, NATIVE);
  public static final ParamSpec<Integer> NTHREAD = ParamSpec.of("nthread", integer(1, 4096), null, SAGEBOX);
  public static final ParamSpec<Boolean> SAVE_MODEL_ON_TERMINATION = ParamSpec.of("save_model_on_termination",
      bool(), false, SAGEBOX);
  public static final ParamSpec<String> TUNING_OBJECTIVE_METRIC = ParamSpec.of("_tuning_objective_metric",
      text("validation:<metric>"), null, SAGEBOX);

  public static final ParamSpec<Integer> KFOLD = ParamSpec.of("_kfold", integer(2, Integer.MAX_VALUE), null, SAGEBOX)
      .note("k-fold cross-validation over train and validation together: one model per fold");
  public static final ParamSpec<Integer> NUM_CV_ROUND = ParamSpec.of("_num_cv_round", integer(1, Integer.MAX_VALUE),
      1, SAGEBOX).note("how many times k-fold cross-validation is repeated (new folds each time)");
  public static final ParamSpec<Integer> SEED = ParamSpec.of("seed", integer(Integer.MIN_VALUE, Integer.MAX_VALUE), 0,
      NATIVE);

  public static final ParamSpec<String> DATA_MATRIX = ParamSpec.of("data_matrix",
      choice("auto", "float", "quantile", "external"), "auto", SAGEBOX)
      .note("how XGBoost holds the data: float (a float copy; the hist index built in the first round), quantile "
          + "(only XGBoost's quantised index, built block by block), external (the index in pages on local disk, "
          + "for data larger than memory); auto: float when the data fits the memory budget, else external");
  public static final ParamSpec<Double> BASE_SCORE = ParamSpec.of("base_score", real(), 0.5, NATIVE)
      .note("0.5 as in SageMaker's XGBoost; XGBoost 2+ would estimate it, and XGBoost 1.x readers drop that");

  /** Every declared hyperparameter, in documentation order. */
  public static final List<ParamSpec<?>> ALL = List.of(
      NUM_ROUND,
      DATA_MATRIX,
      NUM_CLASS,
      OBJECTIVE,
      EVAL_METRIC,
      EARLY_STOPPING_ROUNDS,
      CSV_WEIGHTS,
      ParamSpec.of("booster", choice("gbtree", "gblinear", "dart"), "gbtree", NATIVE),
      TREE_METHOD,
      ParamSpec.of("eta", real(0, true, 1, true), 0.3, NATIVE).alias("learning_rate"),
      ParamSpec.of("gamma", real(0, true, INF, false), 0.0, NATIVE).alias("min_split_loss"),
      ParamSpec.of("max_depth", integer(0, Integer.MAX_VALUE), 6, NATIVE),
      ParamSpec.of("min_child_weight", real(0, true, INF, false), 1.0, NATIVE),
      ParamSpec.of("max_delta_step", real(0, true, INF, false), 0.0, NATIVE),
      ParamSpec.of("subsample", real(0, false, 1, true), 1.0, NATIVE),
      ParamSpec.of("colsample_bytree", real(0, false, 1, true), 1.0, NATIVE),
      ParamSpec.of("colsample_bylevel", real(0, false, 1, true), 1.0, NATIVE),
      ParamSpec.of("colsample_bynode", real(0, false, 1, true), 1.0, NATIVE),
      ParamSpec.of("lambda", real(0, true, INF, false), 1.0, NATIVE).alias("reg_lambda"),
      ParamSpec.of("alpha", real(0, true, INF, false), 0.0, NATIVE).alias("reg_alpha"),
      ParamSpec.of("sketch_eps", real(0, false, 1, false), 0.03, DEPRECATED)
          .note("removed from XGBoost; 'max_bin' controls the sketch"),
      ParamSpec.of("scale_pos_weight", real(0, false, INF, false), 1.0, NATIVE),
      UPDATER,
      ParamSpec.of("dsplit", choice("row", "col"), "row", DEPRECATED).note("removed from XGBoost"),
      ParamSpec.of("refresh_leaf", integer(0, 1), 1, NATIVE),
      ParamSpec.of("process_type", choice("default", "update"), "default", NATIVE),
      ParamSpec.of("grow_policy", choice("depthwise", "lossguide"), "depthwise", NATIVE),
      ParamSpec.of("max_leaves", integer(0, Integer.MAX_VALUE), 0, NATIVE),
      ParamSpec.of("max_bin", integer(2, Integer.MAX_VALUE), 256, NATIVE),
      ParamSpec.of("predictor", choice("auto", "cpu_predictor", "gpu_predictor"), "auto", DEPRECATED)
          .note("removed from XGBoost 2; the device decides"),
      MONOTONE_CONSTRAINTS,
      INTERACTION_CONSTRAINTS,
      ParamSpec.of("sample_type", choice("uniform", "weighted"), "uniform", NATIVE),
      ParamSpec.of("normalize_type", choice("tree", "forest"), "tree", NATIVE),
      ParamSpec.of("rate_drop", real(0, true, 1, true), 0.0, NATIVE),
      ParamSpec.of("one_drop", integer(0, 1), 0, NATIVE),
      ParamSpec.of("skip_drop", real(0, true, 1, true), 0.0, NATIVE),
      ParamSpec.of("lambda_bias", real(0, true, 1, true), 0.0, DEPRECATED).note("removed from XGBoost"),
      ParamSpec.of("tweedie_variance_power", real(1, false, 2, false), 1.5, NATIVE),
      BASE_SCORE,
      SEED,
      ParamSpec.of("num_parallel_tree", integer(1, Integer.MAX_VALUE), 1, NATIVE),
      NTHREAD,
      ParamSpec.of("verbosity", integer(0, 3), 1, NATIVE),
      ParamSpec.of("silent", integer(0, 1), 0, DEPRECATED).note("use 'verbosity'"),
      ParamSpec.of("aft_loss_distribution", choice("normal", "logistic", "extreme"), "normal", NATIVE),
      ParamSpec.of("aft_loss_distribution_scale", real(0, true, INF, false), 1.0, NATIVE),
      ParamSpec.of("deterministic_histogram", bool(), true, DEPRECATED).note("removed from XGBoost"),
      ParamSpec.of("sampling_method", choice("uniform", "gradient_based"), "uniform", NATIVE),
      ParamSpec.of("prob_buffer_row", real(0, false, INF, false), 1.0, DEPRECATED).note("removed from XGBoost"),
      SAVE_MODEL_ON_TERMINATION,
      ParamSpec.of("use_dask_gpu_training", bool(), false, NOT_IMPLEMENTED)
          .note("multi-GPU Dask training; train on one device"),
      KFOLD,
      NUM_CV_ROUND,
      TUNING_OBJECTIVE_METRIC,
      ComputeDevice.param(NATIVE));
}
