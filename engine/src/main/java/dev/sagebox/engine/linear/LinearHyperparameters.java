package dev.sagebox.engine.linear;

import static dev.sagebox.engine.params.ParamSpec.Use.NATIVE;
import static dev.sagebox.engine.params.ParamType.bool;
import static dev.sagebox.engine.params.ParamType.choice;
import static dev.sagebox.engine.params.ParamType.integer;
import static dev.sagebox.engine.params.ParamType.real;
import static dev.sagebox.engine.params.ParamType.text;

import dev.sagebox.engine.device.ComputeDevice;
import dev.sagebox.engine.params.ParamSpec;
import dev.sagebox.engine.params.ParamType;
import java.util.List;

/**
 * The hyperparameters of SageMaker's linear learner (CONTRACT.md §D.2). Values that may be {@code auto} are parsed
 * as text here and resolved by {@link LinearParams}.
 */
public final class LinearHyperparameters {
  private LinearHyperparameters() {}

  static final double INF = Double.POSITIVE_INFINITY;

  /** "auto" or a value of {@code inner}; returns the text, checked. */
  static ParamType<String> autoOr(ParamType<?> inner) {
    return new ParamType<>() {
      @Override
      public String parse(String raw) {
        String t = raw.strip();
        if (t.equalsIgnoreCase("auto")) {
          return "auto";
        }
        try {
          return String.valueOf(inner.parse(t));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("expected " + describe());
        }
      }

      @Override
      public String describe() {
        return "auto or " + inner.describe();
      }
    };
  }

  static ParamSpec<String> auto(String name, ParamType<?> inner) {
    return ParamSpec.of(name, autoOr(inner), "auto", NATIVE);
  }

  public static final ParamSpec<String> PREDICTOR_TYPE = ParamSpec.of("predictor_type",
      choice("binary_classifier", "multiclass_classifier", "regressor"), null, NATIVE).requiredParam();
  public static final ParamSpec<Integer> NUM_CLASSES = ParamSpec.of("num_classes", integer(3, 1_000_000), null,
      NATIVE);
  public static final ParamSpec<String> FEATURE_DIM = auto("feature_dim", integer(1, Integer.MAX_VALUE));
  public static final ParamSpec<Integer> MINI_BATCH_SIZE = ParamSpec.of("mini_batch_size",
      integer(1, Integer.MAX_VALUE), 1000, NATIVE);
  public static final ParamSpec<Integer> EPOCHS = ParamSpec.of("epochs", integer(1, Integer.MAX_VALUE), 15, NATIVE);
  public static final ParamSpec<String> NUM_MODELS = auto("num_models", integer(1, 64));
  public static final ParamSpec<String> NUM_CALIBRATION_SAMPLES = auto("num_calibration_samples",
      integer(1, Integer.MAX_VALUE));
  public static final ParamSpec<String> LOSS = ParamSpec.of("loss", choice("auto", "logistic", "softmax_loss",
      "squared_loss", "absolute_loss", "hinge_loss", "eps_insensitive_squared_loss",
      "eps_insensitive_absolute_loss", "quantile_loss", "huber_loss"), "auto", NATIVE);
  public static final ParamSpec<String> OPTIMIZER = ParamSpec.of("optimizer",
      choice("auto", "sgd", "adam", "rmsprop"), "auto", NATIVE);
  public static final ParamSpec<String> LEARNING_RATE = auto("learning_rate", real(0, false, INF, false));
  public static final ParamSpec<String> WD = auto("wd", real(0, true, INF, false));
  public static final ParamSpec<String> L1 = auto("l1", real(0, true, INF, false));
  public static final ParamSpec<String> MOMENTUM = auto("momentum", real(0, true, 1, false));
  public static final ParamSpec<String> BETA_1 = auto("beta_1", real(0, true, 1, false));
  public static final ParamSpec<String> BETA_2 = auto("beta_2", real(0, true, 1, false));
  public static final ParamSpec<String> BIAS_LR_MULT = auto("bias_lr_mult", real(0, false, INF, false));
  public static final ParamSpec<String> BIAS_WD_MULT = auto("bias_wd_mult", real(0, true, INF, false));
  public static final ParamSpec<Boolean> USE_BIAS = ParamSpec.of("use_bias", bool(), true, NATIVE);
  public static final ParamSpec<String> NORMALIZE_DATA = auto("normalize_data", bool());
  public static final ParamSpec<String> NORMALIZE_LABEL = auto("normalize_label", bool());
  public static final ParamSpec<String> UNBIAS_DATA = auto("unbias_data", bool());
  public static final ParamSpec<String> UNBIAS_LABEL = auto("unbias_label", bool());
  public static final ParamSpec<Integer> NUM_POINT_FOR_SCALER = ParamSpec.of("num_point_for_scaler",
      integer(1, Integer.MAX_VALUE), 10_000, NATIVE);
  public static final ParamSpec<Boolean> USE_LR_SCHEDULER = ParamSpec.of("use_lr_scheduler", bool(), true, NATIVE);
  public static final ParamSpec<String> LR_SCHEDULER_STEP = auto("lr_scheduler_step", integer(1,
      Integer.MAX_VALUE));
  public static final ParamSpec<String> LR_SCHEDULER_FACTOR = auto("lr_scheduler_factor", real(0, false, 1, false));
  public static final ParamSpec<String> LR_SCHEDULER_MINIMUM_LR = auto("lr_scheduler_minimum_lr",
      real(0, false, INF, false));
  public static final ParamSpec<String> INIT_METHOD = ParamSpec.of("init_method", choice("uniform", "normal"),
      "uniform", NATIVE);
  public static final ParamSpec<Double> INIT_SCALE = ParamSpec.of("init_scale", real(0, false, INF, false), 0.07,
      NATIVE);
  public static final ParamSpec<Double> INIT_SIGMA = ParamSpec.of("init_sigma", real(0, false, INF, false), 0.01,
      NATIVE);
  public static final ParamSpec<Double> INIT_BIAS = ParamSpec.of("init_bias", real(), 0.0, NATIVE);
  public static final ParamSpec<String> SELECTION_CRITERIA = ParamSpec.of(
      "binary_classifier_model_selection_criteria", choice("accuracy", "f_beta", "f1", "precision_at_target_recall",
          "recall_at_target_precision", "loss_function", "cross_entropy_loss"), "accuracy", NATIVE);
  public static final ParamSpec<Double> TARGET_RECALL = ParamSpec.of("target_recall", real(0, false, 1, false), 0.8,
      NATIVE);
  public static final ParamSpec<Double> TARGET_PRECISION = ParamSpec.of("target_precision",
      real(0, false, 1, false), 0.8, NATIVE);
  public static final ParamSpec<String> POSITIVE_EXAMPLE_WEIGHT_MULT = ParamSpec.of("positive_example_weight_mult",
      text("auto, balanced, or a number > 0"), "1.0", NATIVE);
  public static final ParamSpec<Double> F_BETA = ParamSpec.of("f_beta", real(0, false, INF, false), 1.0, NATIVE);
  public static final ParamSpec<Integer> EARLY_STOPPING_PATIENCE = ParamSpec.of("early_stopping_patience",
      integer(1, Integer.MAX_VALUE), 3, NATIVE);
  public static final ParamSpec<Double> EARLY_STOPPING_TOLERANCE = ParamSpec.of("early_stopping_tolerance",
      real(0, false, INF, false), 0.001, NATIVE);
  public static final ParamSpec<Double> MARGIN = ParamSpec.of("margin", real(0, false, INF, false), 1.0, NATIVE);
  public static final ParamSpec<Double> QUANTILE = ParamSpec.of("quantile", real(0, false, 1, false), 0.5, NATIVE);
  public static final ParamSpec<Double> LOSS_INSENSITIVITY = ParamSpec.of("loss_insensitivity",
      real(0, false, INF, false), 0.01, NATIVE);
  public static final ParamSpec<Double> HUBER_DELTA = ParamSpec.of("huber_delta", real(0, true, INF, false), 1.0,
      NATIVE);
  public static final ParamSpec<Integer> ACCURACY_TOP_K = ParamSpec.of("accuracy_top_k", integer(1, 1_000_000), 3,
      NATIVE);
  public static final ParamSpec<Boolean> BALANCE_MULTICLASS_WEIGHTS = ParamSpec.of("balance_multiclass_weights",
      bool(), false, NATIVE);
  public static final ParamSpec<Integer> SEED = ParamSpec.of("seed", integer(0, Integer.MAX_VALUE), 0, NATIVE);
  public static final ParamSpec<String> TUNING_OBJECTIVE_METRIC = ParamSpec.of("_tuning_objective_metric",
      text("validation:<metric>"), null, NATIVE);

  public static final List<ParamSpec<?>> ALL = List.of(PREDICTOR_TYPE, NUM_CLASSES, FEATURE_DIM, MINI_BATCH_SIZE,
      EPOCHS, NUM_MODELS, NUM_CALIBRATION_SAMPLES, LOSS, OPTIMIZER, LEARNING_RATE, WD, L1, MOMENTUM, BETA_1, BETA_2,
      BIAS_LR_MULT, BIAS_WD_MULT, USE_BIAS, NORMALIZE_DATA, NORMALIZE_LABEL, UNBIAS_DATA, UNBIAS_LABEL,
      NUM_POINT_FOR_SCALER, USE_LR_SCHEDULER, LR_SCHEDULER_STEP, LR_SCHEDULER_FACTOR, LR_SCHEDULER_MINIMUM_LR,
      INIT_METHOD, INIT_SCALE, INIT_SIGMA, INIT_BIAS, SELECTION_CRITERIA, TARGET_RECALL, TARGET_PRECISION,
      POSITIVE_EXAMPLE_WEIGHT_MULT, F_BETA, EARLY_STOPPING_PATIENCE, EARLY_STOPPING_TOLERANCE, MARGIN, QUANTILE,
      LOSS_INSENSITIVITY, HUBER_DELTA, ACCURACY_TOP_K, BALANCE_MULTICLASS_WEIGHTS, SEED, TUNING_OBJECTIVE_METRIC,
      ComputeDevice.param(ParamSpec.Use.SAGEBOX));
}
