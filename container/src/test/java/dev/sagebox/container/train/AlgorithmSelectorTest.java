package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlgorithmSelectorTest {

  @Test
  void hyperparameterWinsAndIsStripped() {
    var s = AlgorithmSelector.select(Map.of("algorithm", "XGBoost", "num_round", "3"), null);
    assertThat(s.algorithm()).isEqualTo("xgboost");
    assertThat(s.hyperparameters()).containsOnlyKeys("num_round");
  }

  @Test
  void environmentThenPredictorTypeThenXGBoost() {
    assertThat(AlgorithmSelector.select(Map.of(), "lenet").algorithm()).isEqualTo("lenet");
    assertThat(AlgorithmSelector.select(Map.of("predictor_type", "regressor"), null).algorithm())
        .isEqualTo("linear-learner");
    assertThat(AlgorithmSelector.select(Map.of("num_round", "1"), null).algorithm()).isEqualTo("xgboost");
  }

  @Test
  void reservedSageMakerKeysAreRemoved() {
    var s = AlgorithmSelector.select(Map.of("sagemaker_container_log_level", "20", "sagemaker_region", "us-west-2",
        "_tuning_objective_metric", "validation:auc", "num_round", "1"), null);
    assertThat(s.hyperparameters()).containsOnlyKeys("num_round", "_tuning_objective_metric");
  }

  @Test
  void conflictingSelectorsAreAnError() {
    assertThatThrownBy(() -> AlgorithmSelector.select(Map.of("algorithm", "xgboost"), "lenet"))
        .hasMessageContaining("must agree");
  }

  @Test
  void scriptModeIsAClearFailureNotASilentBuiltInRun() {
    for (String key : List.of("sagemaker_program", "sagemaker_submit_directory")) {
      assertThatThrownBy(() -> AlgorithmSelector.select(Map.of(key, "train.py", "num_round", "1"), null))
          .isInstanceOf(dev.sagebox.engine.error.UserError.class)
          .hasMessageContaining(key)
          .hasMessageContaining("script mode")
          .hasMessageContaining("only its built-in algorithms");
    }
  }
}
