package dev.sagebox.container.train;

import dev.sagebox.engine.error.UserError;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which algorithm a job trains and strips the keys that are not the algorithm's: the selector
 * {@code algorithm} and SageMaker's reserved {@code sagemaker_*} keys.
 */
public final class AlgorithmSelector {
  public static final String SELECTOR_KEY = "algorithm";
  /** The keys the SageMaker SDK adds in script mode (a user entry point). */
  static final java.util.List<String> SCRIPT_MODE_KEYS = java.util.List.of("sagemaker_program",
      "sagemaker_submit_directory");

  private AlgorithmSelector() {}

  /** The algorithm's name and its own hyperparameters. */
  public record Selection(String algorithm, String reason, Map<String, String> hyperparameters) {}

  /**
   * @param hyperparameters decoded hyperparameters.json
   * @param envAlgorithm SAGEBOX_ALGORITHM, or null
   */
  public static Selection select(Map<String, String> hyperparameters, String envAlgorithm) {
    for (String key : SCRIPT_MODE_KEYS) {
      if (hyperparameters.containsKey(key)) {
        throw new UserError("hyperparameter '" + key + "' (" + hyperparameters.get(key) + ") asks for script mode: "
            + "running your own training script. Sagebox runs only its built-in algorithms (xgboost, linear-learner,"
            + " lenet), chosen by the 'algorithm' hyperparameter; drop entry_point/source_dir from the estimator to "
            + "train the built-in XGBoost, or use a framework container for your script");
      }
    }
    Map<String, String> own = new LinkedHashMap<>();
    hyperparameters.forEach((k, v) -> {
      if (!k.equals(SELECTOR_KEY) && !k.startsWith("sagemaker_")) {
        own.put(k, v);
      }
    });
    String fromHp = normalise(hyperparameters.get(SELECTOR_KEY));
    String fromEnv = normalise(envAlgorithm);
    if (fromHp != null && fromEnv != null && !fromHp.equals(fromEnv)) {
      throw new UserError("hyperparameter 'algorithm' says '" + fromHp + "' but SAGEBOX_ALGORITHM says '" + fromEnv
          + "'; they must agree (or set only one)");
    }
    if (fromHp != null) {
      return new Selection(fromHp, "hyperparameter 'algorithm'", own);
    }
    if (fromEnv != null) {
      return new Selection(fromEnv, "SAGEBOX_ALGORITHM", own);
    }
    if (hyperparameters.containsKey("predictor_type")) {
      return new Selection("linear-learner", "'predictor_type' is set (a linear-learner hyperparameter)", own);
    }
    return new Selection("xgboost", "default (no 'algorithm' hyperparameter, no SAGEBOX_ALGORITHM)", own);
  }

  private static String normalise(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    return n.equals("linear") || n.equals("linearlearner") ? "linear-learner" : n;
  }
}
