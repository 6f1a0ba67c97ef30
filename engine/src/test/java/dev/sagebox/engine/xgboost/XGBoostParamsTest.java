package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XGBoostParamsTest {

  private static XGBoostParams parse(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return XGBoostParams.parse(m, w -> { });
  }

  @Test
  void theSageMakerSampleHyperparametersParse() {
    List<String> warnings = new ArrayList<>();
    XGBoostParams p = XGBoostParams.parse(Map.of("max_depth", "5", "eta", "0.2", "gamma", "4", "min_child_weight",
        "6", "subsample", "0.8", "silent", "0", "objective", "binary:logistic", "num_round", "100", "eval_metric",
        "auc,error"), warnings::add);
    assertThat(p.numRound()).isEqualTo(100);
    assertThat(p.evalMetrics()).containsExactly("auc", "error");
    assertThat(p.boosterParams()).containsEntry("max_depth", 5).containsEntry("eta", 0.2)
        .containsEntry("objective", "binary:logistic").containsEntry("base_score", 0.5)
        .doesNotContainKey("silent").doesNotContainKey("num_round");
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'silent' is deprecated"));
  }

  @Test
  void numRoundIsRequired() {
    assertThatThrownBy(() -> parse("objective", "binary:logistic"))
        .isInstanceOf(HyperparameterError.class).hasMessageContaining("'num_round': is required");
  }

  @Test
  void multiClassNeedsNumClassAndOnlyMultiClassTakesIt() {
    assertThatThrownBy(() -> parse("num_round", "1", "objective", "multi:softprob"))
        .hasMessageContaining("'num_class': is required with objective multi:softprob");
    assertThatThrownBy(() -> parse("num_round", "1", "num_class", "3"))
        .hasMessageContaining("objective reg:squarederror is not multi-class");
    assertThat(parse("num_round", "1", "objective", "multi:softmax", "num_class", "3").numClass()).isEqualTo(3);
  }

  @Test
  void aliasesMapToTheXGBoostNames() {
    XGBoostParams p = parse("num_round", "1", "learning_rate", "0.1", "reg_lambda", "2", "reg_alpha", "0.5",
        "min_split_loss", "1");
    assertThat(p.boosterParams()).containsEntry("eta", 0.1).containsEntry("lambda", 2.0)
        .containsEntry("alpha", 0.5).containsEntry("gamma", 1.0);
  }

  @Test
  void evalMetricsAreCheckedAgainstTheObjective() {
    assertThatThrownBy(() -> parse("num_round", "1", "eval_metric", "auc"))
        .hasMessageContaining("'auc' needs a binary:* or rank:* objective");
    assertThatThrownBy(() -> parse("num_round", "1", "eval_metric", "rmse,bogus"))
        .hasMessageContaining("unknown metric 'bogus'");
    assertThatThrownBy(() -> parse("num_round", "1", "eval_metric", "rmse@2"))
        .hasMessageContaining("only error, ndcg and map take '@<value>'");
    assertThatThrownBy(() -> parse("num_round", "1", "objective", "multi:softmax", "num_class", "3",
        "eval_metric", "precision"))
        .isInstanceOf(HyperparameterError.class)
        .hasMessageContaining("'precision' is the positive class's score and needs a binary:* or reg:logistic "
            + "objective, not multi:softmax; for several classes use f1_macro, precision_macro or recall_macro");
    assertThatThrownBy(() -> parse("num_round", "1", "eval_metric", "accuracy"))
        .hasMessageContaining("'accuracy' compares predicted classes; it needs a binary:*, multi:* or "
            + "reg:logistic objective, not reg:squarederror");
    assertThatThrownBy(() -> parse("num_round", "1", "objective", "multi:softprob", "num_class", "3",
        "eval_metric", "r2"))
        .hasMessageContaining("'r2' compares predicted values with labels");
    assertThat(parse("num_round", "1", "objective", "binary:logistic", "eval_metric", "f1,logloss,recall")
        .evalMetrics()).containsExactly("f1", "logloss", "recall");
    assertThat(parse("num_round", "1", "objective", "binary:logistic", "eval_metric", "error@0.7,logloss")
        .evalMetrics()).containsExactly("error@0.7", "logloss");
  }

  @Test
  void tuningMetricDrivesEarlyStopping() {
    XGBoostParams p = parse("num_round", "9", "objective", "binary:logistic", "eval_metric", "logloss",
        "early_stopping_rounds", "3", "_tuning_objective_metric", "validation:auc");
    assertThat(p.stoppingMetric()).isEqualTo("auc");
    assertThat(p.evalMetrics()).containsExactly("logloss", "auc");
    assertThatThrownBy(() -> parse("num_round", "1", "_tuning_objective_metric", "train:rmse"))
        .hasMessageContaining("must name a validation metric");
  }

  @Test
  void constraintsAndGpuHist() {
    assertThat(parse("num_round", "1", "monotone_constraints", "[1, 0, -1]").boosterParams())
        .containsEntry("monotone_constraints", "(1,0,-1)");
    assertThatThrownBy(() -> parse("num_round", "1", "monotone_constraints", "(1, 2)"))
        .hasMessageContaining("monotone_constraints");
    assertThatThrownBy(() -> parse("num_round", "1", "tree_method", "approx", "monotone_constraints", "(1)"))
        .hasMessageContaining("needs tree_method exact or hist");
    assertThat(parse("num_round", "1", "tree_method", "gpu_hist").boosterParams())
        .containsEntry("tree_method", "hist").containsEntry("device", "cuda");
    assertThatThrownBy(() -> parse("num_round", "1", "updater", "grow_colmaker,magic"))
        .hasMessageContaining("unknown updater 'magic'");
  }

  @Test
  void notImplementedFeaturesAreClearErrors() {
    assertThat(parse("num_round", "1", "_kfold", "5", "_num_cv_round", "2").kfold()).isEqualTo(5);
    assertThatThrownBy(() -> parse("num_round", "1", "use_dask_gpu_training", "true"))
        .hasMessageContaining("not supported by Sagebox yet");
  }

  @Test
  void regLinearIsRenamedWithAWarning() {
    List<String> warnings = new ArrayList<>();
    XGBoostParams p = XGBoostParams.parse(Map.of("num_round", "1", "objective", "reg:linear"), warnings::add);
    assertThat(p.objective()).isEqualTo("reg:squarederror");
    assertThat(warnings).singleElement().asString().contains("reg:linear");
  }
}
