package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SageMaker's metrics in real training runs on the shared tabular sets: lines, order, values, early stopping. */
class XGBoostMetricsTrainingTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", w -> { });

  private static Path dataset(String name) {
    Path data = SageMakerMetricsTest.tabular().resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    return data;
  }

  private ModelManifest train(String name, Map<String, String> hp) {
    Path data = dataset(name);
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(data.resolve("train/" + name + ".csv")), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(data.resolve("validation/" + name + ".csv")),
            TextFormat.CSV));
    return algorithm.train(new TrainingRequest(hp, ch, tmp.resolve("model"), Optional.empty(), 2, listener,
        () -> false));
  }

  private static LabeledData rows(String name, String set) {
    return new ChannelLoader(2).load(set, List.of(dataset(name).resolve(set + "/" + name + ".csv")),
        TextFormat.CSV, false);
  }

  private RoundLog line(int index) {
    String l = listener.metricLines.get(index);
    return RoundLog.parse(Integer.parseInt(l.substring(1, l.indexOf(']'))), l);
  }

  /** Scores of the saved model on a set, through the serving path. */
  private float[] scores(LabeledData rows) {
    Path model = tmp.resolve("model");
    try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model), PredictorOptions.defaults())) {
      return ((Column.Scalars) p.predict(rows.features()).columns().get("score")).values();
    }
  }

  @Test
  void sageMakerAndXGBoostMetricsShareOneLineInTheGivenOrder() {
    train("breast_cancer", Map.of("num_round", "10", "objective", "binary:logistic", "max_depth", "2",
        "eval_metric", "accuracy,logloss,f1"));
    assertThat(listener.metricLines).hasSize(10);
    assertThat(listener.metricLines.get(9)).matches("\\[9\\]\\ttrain-accuracy:\\d\\.\\d{5}\\ttrain-logloss:"
        + "\\d\\.\\d{5}\\ttrain-f1:\\d\\.\\d{5}\\tvalidation-accuracy:\\d\\.\\d{5}\\tvalidation-logloss:\\d\\.\\d{5}"
        + "\\tvalidation-f1:\\d\\.\\d{5}");
    LabeledData validation = rows("breast_cancer", "validation");
    float[] p = scores(validation);
    int correct = 0;
    for (int i = 0; i < p.length; i++) {
      correct += (p[i] > 0.5f ? 1f : 0f) == validation.labels()[i] ? 1 : 0;
    }
    assertThat(line(9).value("validation", "accuracy")).isCloseTo((double) correct / p.length, within(6e-6));
  }

  @Test
  void withOnlySageMakerMetricsXGBoostsDefaultComesFirst() {
    train("breast_cancer", Map.of("num_round", "2", "objective", "binary:logistic", "eval_metric", "f1"));
    assertThat(listener.metricLines.get(1)).matches("\\[1\\]\\ttrain-logloss:\\S+\\ttrain-f1:\\S+"
        + "\\tvalidation-logloss:\\S+\\tvalidation-f1:\\S+");
  }

  @Test
  void earlyStoppingMaximisesTheTuningMetric() {
    ModelManifest m = train("breast_cancer", Map.of("num_round", "300", "objective", "binary:logistic",
        "eta", "0.5", "early_stopping_rounds", "5", "_tuning_objective_metric", "validation:balanced_accuracy"));
    int best = Integer.parseInt(m.details().get("best_iteration"));
    assertThat(m.details()).containsEntry("early_stopping_metric", "validation-balanced_accuracy");
    assertThat(listener.metricLines).hasSize(best + 6);
    double top = line(best).value("validation", "balanced_accuracy");
    for (int i = 0; i < listener.metricLines.size(); i++) {
      double v = line(i).value("validation", "balanced_accuracy");
      assertThat(v).isLessThanOrEqualTo(top);
      if (i < best) {
        assertThat(v).isLessThan(top);
      }
    }
  }

  @Test
  void regressionMetricsMatchTheServedPredictions() {
    ModelManifest m = train("diabetes", Map.of("num_round", "30", "eta", "0.1", "max_depth", "3",
        "eval_metric", "rmse,mse,r2", "early_stopping_rounds", "3"));
    int last = listener.metricLines.size() - 1;
    RoundLog round = line(last);
    double rmse = round.value("validation", "rmse");
    assertThat(round.value("validation", "mse")).isCloseTo(rmse * rmse, within(rmse * 1e-4));
    // r2 is maximised: with no better round for 3 rounds, training would have stopped.
    assertThat(m.details()).doesNotContainKey("best_iteration");
    LabeledData validation = rows("diabetes", "validation");
    float[] p = scores(validation);
    float[] y = validation.labels();
    double mean = 0;
    for (float v : y) {
      mean += v / y.length;
    }
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.length; i++) {
      res += (y[i] - p[i]) * (y[i] - p[i]);
      tot += (y[i] - mean) * (y[i] - mean);
    }
    assertThat(round.value("validation", "r2")).isCloseTo(1 - res / tot, within(6e-6));
  }

  @Test
  void multiClassSoftmaxLogsClassMetrics() {
    train("iris", Map.of("num_round", "3", "objective", "multi:softmax", "num_class", "3",
        "eval_metric", "merror,accuracy,f1_macro"));
    RoundLog r = line(2);
    assertThat(r.value("validation", "accuracy")).isCloseTo(1 - r.value("validation", "merror"), within(2e-5));
    assertThat(listener.metricLines.get(2)).contains("\ttrain-merror:").contains("\tvalidation-f1_macro:");
  }

  @Test
  void classMetricsRefuseLabelsOtherThanZeroAndOne() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frac"));
    Files.writeString(dir.resolve("t.csv"), "0,1\n1,2\n0.25,3\n");
    Map<String, ChannelInput> ch = Map.of("train", new ChannelInput("train", List.of(dir.resolve("t.csv")),
        TextFormat.CSV));
    assertThatThrownBy(() -> algorithm.train(new TrainingRequest(Map.of("num_round", "1", "objective",
        "binary:logistic", "eval_metric", "accuracy"), ch, tmp.resolve("m"), Optional.empty(), 2, listener,
        () -> false)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("train/t.csv, line 3: label 0.25 is neither 0 nor 1")
        .hasMessageContaining("eval_metric [accuracy]");
  }

  /** 300,000 rows: the metrics run in parallel blocks; they must equal one plain pass over the predictions. */
  @Test
  void parallelBlocksGiveTheSameValuesAsOnePass() throws Exception {
    int n = 300_000;
    int k = 4;
    Random r = new Random(3);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) r.nextGaussian();
      x[2 * i + 1] = (float) r.nextGaussian();
      y[i] = (x[2 * i] > 0 ? 1 : 0) + (x[2 * i + 1] + 0.5 * r.nextGaussian() > 0 ? 2 : 0);
    }
    DMatrix d = new DMatrix(x, n, 2, Float.NaN);
    d.setLabel(y);
    Map<String, Object> p = new HashMap<>(Map.of("objective", "multi:softprob", "num_class", k, "max_depth", 2,
        "nthread", 2));
    Booster b = XGBoost.train(d, p, 2, Map.of(), null, null);
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      XGBoostParams params = XGBoostParams.parse(Map.of("num_round", "1", "objective", "multi:softprob",
          "num_class", "4", "eval_metric", "accuracy,balanced_accuracy"), w -> { });
      CustomMetrics custom = CustomMetrics.of(params, pool);
      double[] v = custom.evaluate(b, d, custom.prepare("train", y));
      float[][] probs = b.predict(d);
      int correct = 0;
      long[] perClass = new long[k];
      long[] hits = new long[k];
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (probs[i][j] > probs[i][best]) {
            best = j;
          }
        }
        perClass[(int) y[i]]++;
        if (best == (int) y[i]) {
          correct++;
          hits[best]++;
        }
      }
      double balanced = 0;
      for (int j = 0; j < k; j++) {
        balanced += (double) hits[j] / perClass[j] / k;
      }
      assertThat(v[0]).isCloseTo((double) correct / n, within(1e-12));
      assertThat(v[1]).isCloseTo(balanced, within(1e-12));
      assertThat(FlatPredictions.direct()).isTrue();
    } finally {
      pool.shutdown();
      b.dispose();
      d.dispose();
    }
  }
}
