package dev.sagebox.controlplane;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final metric values from a training log: the built-in algorithms' lines (XGBoost's
 * {@code [12]\ttrain-auc:0.99\tvalidation-auc:0.98}, also with SageMaker's {@code #011} for the tab, named
 * {@code train:auc}; the linear learner's {@code #quality_metric: host=algo-1, epoch=3, validation mse <score>=0.1},
 * named {@code validation:mse}) or, when the job gives them, its own {@code MetricDefinitions} (name, regex with one
 * group). The last value of each name wins, as SageMaker's FinalMetricDataList has it.
 */
public final class MetricScanner {
  /** A job's metric definition: its regex's first group is the value. */
  public record Definition(String name, Pattern regex) {}

  private static final Pattern ROUND = Pattern.compile("^\\[(\\d+)\\](.*)$");
  private static final Pattern XGB_TOKEN = Pattern.compile("(?:\\t|#011|\\s)([A-Za-z0-9_]+)-([A-Za-z0-9_@.-]+?):"
      + "([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|nan|inf))");
  private static final Pattern QUALITY = Pattern.compile("#quality_metric: host=[^,]*, epoch=[^,]*, (\\S+) (\\S+) "
      + "<[a-z]+>=([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

  private MetricScanner() {}

  /** Name to last value; empty when the log is missing. */
  public static Map<String, Double> finalValues(Path log, List<Definition> definitions) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!Files.exists(log)) {
      return out;
    }
    try (BufferedReader r = Files.newBufferedReader(log, java.nio.charset.StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (definitions.isEmpty()) {
          builtIn(line, out);
        } else {
          for (Definition d : definitions) {
            Matcher m = d.regex().matcher(line);
            if (m.find() && m.groupCount() >= 1) {
              parse(m.group(1)).ifPresent(v -> out.put(d.name(), v));
            }
          }
        }
      }
    }
    return out;
  }

  private static void builtIn(String line, Map<String, Double> out) {
    Matcher round = ROUND.matcher(line);
    if (round.find()) {
      Matcher t = XGB_TOKEN.matcher(round.group(2));
      while (t.find()) {
        String name = t.group(1) + ":" + t.group(2);
        parse(t.group(3)).ifPresent(v -> out.put(name, v));
      }
      return;
    }
    Matcher q = QUALITY.matcher(line);
    if (q.find()) {
      parse(q.group(3)).ifPresent(v -> out.put(q.group(1) + ":" + q.group(2), v));
    }
  }

  private static java.util.Optional<Double> parse(String s) {
    try {
      double v = Double.parseDouble(s);
      return Double.isFinite(v) ? java.util.Optional.of(v) : java.util.Optional.empty();
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
