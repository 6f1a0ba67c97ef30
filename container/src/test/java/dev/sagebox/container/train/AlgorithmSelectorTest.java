package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    var s = AlgorithmSelector.select(Map.of("sagemaker_program", "t.py", "sagemaker_region", "us-west-2",
        "_tuning_objective_metric", "validation:auc", "num_round", "1"), null);
    assertThat(s.hyperparameters()).containsOnlyKeys("num_round", "_tuning_objective_metric");
  }

  @Test
  void conflictingSelectorsAreAnError() {
    assertThatThrownBy(() -> AlgorithmSelector.select(Map.of("algorithm", "xgboost"), "lenet"))
        .hasMessageContaining("must agree");
  }
}
