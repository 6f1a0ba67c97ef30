package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.text.NumberScanner;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One round's evaluation, parsed from xgboost's {@code evalSet} text ({@code [i]\tset-metric:value...}) and
 * rendered exactly as SageMaker's XGBoost prints it ({@code [i]\ttrain-auc:0.98123\tvalidation-auc:0.97000}).
 */
record RoundLog(int iteration, Map<String, Double> values) {

  static RoundLog parse(int iteration, String evalText) {
    Map<String, Double> values = new LinkedHashMap<>();
    String[] tokens = evalText.strip().split("\t");
    for (int i = 1; i < tokens.length; i++) {
      String t = tokens[i].strip();
      int colon = t.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      double v;
      try {
        v = NumberScanner.parseToken(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      values.put(t.substring(0, colon), v);
    }
    return new RoundLog(iteration, values);
  }

  /**
   * {@code value} as {@link #parse} reads it back from XGBoost's text: XGBoost prints metrics with 17 fixed decimals
   * (C++ {@code std::fixed}, exact decimal expansion, round-half-even), and the parser keeps float precision. Metrics
   * computed in Java go through this so that their lines and early stopping match XGBoost's own.
   */
  static double asParsed(double value) {
    if (Double.isNaN(value)) {
      return Double.NaN;
    }
    if (Double.isInfinite(value)) {
      return value;
    }
    String text = new java.math.BigDecimal(value).setScale(17, java.math.RoundingMode.HALF_EVEN).toPlainString();
    return NumberScanner.parseToken(text);
  }

  /** The value of {@code set-metric}, or of the last metric logged for {@code set} when metric is null. */
  Double value(String set, String metric) {
    if (metric != null) {
      return values.get(set + "-" + metric);
    }
    Double last = null;
    for (Map.Entry<String, Double> e : values.entrySet()) {
      if (e.getKey().startsWith(set + "-")) {
        last = e.getValue();
      }
    }
    return last;
  }

  /** The name of the last metric logged for {@code set}. */
  String lastMetric(String set) {
    String last = null;
    for (String k : values.keySet()) {
      if (k.startsWith(set + "-")) {
        last = k.substring(set.length() + 1);
      }
    }
    return last;
  }

  String render() {
    StringBuilder sb = new StringBuilder().append('[').append(iteration).append(']');
    values.forEach((k, v) -> sb.append('\t').append(k).append(':').append(String.format(Locale.ROOT, "%.5f", v)));
    return sb.toString();
  }
}
