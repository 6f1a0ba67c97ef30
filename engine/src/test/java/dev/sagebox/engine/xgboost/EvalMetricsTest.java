package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** eval_metric as SageMaker writes it: a comma list, or a JSON list when the Python SDK was given a list. */
class EvalMetricsTest {
  @Test
  void aCommaListAndAJsonListGiveTheSameMetrics() {
    assertThat(EvalMetrics.parse("auc,error", "binary:logistic")).containsExactly("auc", "error");
    assertThat(EvalMetrics.parse("[\"auc\", \"error@0.7\"]", "binary:logistic")).containsExactly("auc", "error@0.7");
    assertThat(EvalMetrics.parse(" [ \"logloss\" ] ", "binary:logistic")).containsExactly("logloss");
  }
}
