package dev.sagebox.engine.linear;

import static dev.sagebox.engine.linear.LinearHyperparameters.*;

import dev.sagebox.engine.error.HyperparameterError;
import dev.sagebox.engine.params.ParamParser;
import dev.sagebox.engine.params.ParsedParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resolved linear-learner settings: every {@code auto} replaced by a concrete choice, cross-field rules checked, and
 * the list of models trained in parallel (one learning rate and weight decay each).
 */
public record LinearParams(PredictorType type, int numClasses, Integer featureDim, int miniBatchSize, int epochs,
    String loss, String optimizer, double[] learningRates, double[] weightDecays, double l1, double momentum,
    double beta1, double beta2, double biasLrMult, double biasWdMult, boolean useBias, boolean normalizeData,
    boolean unbiasData, boolean normalizeLabel, boolean unbiasLabel, int numPointForScaler, boolean useLrScheduler, Integer lrStep,
    double lrFactor, double lrMinimum, boolean normalInit, double initScale, double initSigma, double initBias,
    String selection, double targetRecall, double targetPrecision, String positiveWeight, double fBeta,
    int patience, double tolerance, double margin, double quantile, double insensitivity, double huberDelta,
    int topK, boolean balanceMulticlass, Integer calibrationSamples, long seed) {

  /** Outputs per model: classes for multiclass, else one. */
  public int outputs() {
    return type == PredictorType.MULTICLASS ? numClasses : 1;
  }

  public int models() {
    return learningRates.length;
  }

  public static LinearParams parse(Map<String, String> raw, Consumer<String> warnings) {
    ParsedParams p = new ParamParser("linear-learner", ALL).parse(raw, warnings);
    PredictorType type = PredictorType.of(p.get(PREDICTOR_TYPE));
    Integer classes = p.get(NUM_CLASSES);
    if (type == PredictorType.MULTICLASS && classes == null) {
      throw new HyperparameterError("num_classes", "is required with predictor_type multiclass_classifier (an "
          + "integer from 3 to 1,000,000)");
    }
    if (type != PredictorType.MULTICLASS && classes != null) {
      throw new HyperparameterError("num_classes", "is only for predictor_type multiclass_classifier, not "
          + type.wireName());
    }
    String loss = resolveLoss(p.get(LOSS), type);
    String optimizer = p.get(OPTIMIZER).equals("auto") ? "adam" : p.get(OPTIMIZER);
    double baseLr = switch (optimizer) {
      case "sgd" -> 0.1;
      case "rmsprop" -> 0.01;
      default -> 0.02;
    };
    List<Double> lrs = new ArrayList<>();
    List<Double> wds = new ArrayList<>();
    String numModels = p.get(NUM_MODELS);
    boolean lrGiven = !p.get(LEARNING_RATE).equals("auto");
    boolean wdGiven = !p.get(WD).equals("auto");
    if (numModels.equals("auto")) {
      double[] lrSpread = lrGiven ? new double[] {Double.parseDouble(p.get(LEARNING_RATE))}
          : new double[] {baseLr * 0.1, baseLr * 0.3, baseLr, baseLr * 3};
      double[] wdSpread = wdGiven ? new double[] {Double.parseDouble(p.get(WD))} : new double[] {0, 1e-4};
      for (double lr : lrSpread) {
        for (double wd : wdSpread) {
          lrs.add(lr);
          wds.add(wd);
        }
      }
    } else {
      int m = Integer.parseInt(numModels);
      double lr = lrGiven ? Double.parseDouble(p.get(LEARNING_RATE)) : baseLr;
      double wd = wdGiven ? Double.parseDouble(p.get(WD)) : 0;
      for (int i = 0; i < m; i++) {
        // Spread learning rates around the base (x0.25 .. x4) unless one was given.
        lrs.add(lrGiven || m == 1 ? lr : lr * Math.pow(16, (double) i / (m - 1)) / 4);
        wds.add(wd);
      }
    }
    String pw = p.get(POSITIVE_EXAMPLE_WEIGHT_MULT).strip();
    if (!pw.equalsIgnoreCase("auto") && !pw.equalsIgnoreCase("balanced")) {
      try {
        if (!(Double.parseDouble(pw) > 0)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new HyperparameterError("positive_example_weight_mult", "value '" + pw + "' is invalid: expected "
            + "auto, balanced, or a number > 0");
      }
    }
    if (type != PredictorType.BINARY && p.isGiven(POSITIVE_EXAMPLE_WEIGHT_MULT)) {
      throw new HyperparameterError("positive_example_weight_mult", "is only for binary_classifier");
    }
    String selection = p.get(SELECTION_CRITERIA);
    selection = switch (selection) {
      case "f1" -> "f_beta";
      case "cross_entropy_loss" -> "loss_function";
      default -> selection;
    };
    String normalizeLabel = p.get(NORMALIZE_LABEL);
    boolean normLabel = type == PredictorType.REGRESSOR && !normalizeLabel.equals("false");
    if (type != PredictorType.REGRESSOR && normalizeLabel.equals("true")) {
      warnings.accept("normalize_label=true is ignored for " + type.wireName() + " (labels are classes)");
    }
    return new LinearParams(type, classes == null ? 2 : classes,
        p.get(FEATURE_DIM).equals("auto") ? null : Integer.valueOf(p.get(FEATURE_DIM)),
        p.get(MINI_BATCH_SIZE), p.get(EPOCHS), loss, optimizer,
        lrs.stream().mapToDouble(Double::doubleValue).toArray(), wds.stream().mapToDouble(Double::doubleValue)
            .toArray(),
        num(p.get(L1), 0), num(p.get(MOMENTUM), optimizer.equals("sgd") ? 0.9 : 0), num(p.get(BETA_1), 0.9),
        num(p.get(BETA_2), 0.999), num(p.get(BIAS_LR_MULT), 1), num(p.get(BIAS_WD_MULT), 0), p.get(USE_BIAS),
        !p.get(NORMALIZE_DATA).equals("false"), !p.get(UNBIAS_DATA).equals("false"), normLabel,
        !p.get(UNBIAS_LABEL).equals("false"),
        p.get(NUM_POINT_FOR_SCALER), p.get(USE_LR_SCHEDULER),
        p.get(LR_SCHEDULER_STEP).equals("auto") ? null : Integer.valueOf(p.get(LR_SCHEDULER_STEP)),
        num(p.get(LR_SCHEDULER_FACTOR), 0.9), num(p.get(LR_SCHEDULER_MINIMUM_LR), 1e-5),
        p.get(INIT_METHOD).equals("normal"), p.get(INIT_SCALE), p.get(INIT_SIGMA), p.get(INIT_BIAS), selection,
        p.get(TARGET_RECALL), p.get(TARGET_PRECISION), pw.toLowerCase(java.util.Locale.ROOT), p.get(F_BETA),
        p.get(EARLY_STOPPING_PATIENCE), p.get(EARLY_STOPPING_TOLERANCE), p.get(MARGIN), p.get(QUANTILE),
        p.get(LOSS_INSENSITIVITY), p.get(HUBER_DELTA), p.get(ACCURACY_TOP_K), p.get(BALANCE_MULTICLASS_WEIGHTS),
        p.get(NUM_CALIBRATION_SAMPLES).equals("auto") ? null : Integer.valueOf(p.get(NUM_CALIBRATION_SAMPLES)),
        p.get(SEED));
  }

  private static double num(String value, double auto) {
    return value.equals("auto") ? auto : Double.parseDouble(value);
  }

  private static String resolveLoss(String loss, PredictorType type) {
    List<String> allowed = switch (type) {
      case BINARY -> List.of("logistic", "hinge_loss");
      case MULTICLASS -> List.of("softmax_loss");
      case REGRESSOR -> List.of("squared_loss", "absolute_loss", "eps_insensitive_squared_loss",
          "eps_insensitive_absolute_loss", "quantile_loss", "huber_loss");
    };
    if (loss.equals("auto")) {
      return allowed.get(0);
    }
    if (!allowed.contains(loss)) {
      throw new HyperparameterError("loss", "'" + loss + "' does not fit predictor_type " + type.wireName()
          + "; accepted: auto, " + String.join(", ", allowed));
    }
    return loss;
  }
}
