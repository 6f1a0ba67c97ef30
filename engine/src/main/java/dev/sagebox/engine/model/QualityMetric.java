package dev.sagebox.engine.model;

import java.util.Locale;

/**
 * The one format of per-epoch metric lines for the linear learner and LeNet, after SageMaker's built-ins:
 * {@code #quality_metric: host=algo-1, epoch=3, validation accuracy <score>=0.97}. Losses are tagged {@code <loss>},
 * everything else {@code <score>}; the epoch is a number or {@code final}.
 */
public final class QualityMetric {
  private QualityMetric() {}

  public static String line(String host, String epoch, String set, String name, double value) {
    return String.format(Locale.ROOT, "#quality_metric: host=%s, epoch=%s, %s %s <%s>=%s", host, epoch, set, name,
        name.endsWith("loss") ? "loss" : "score", Double.toString(value));
  }
}
