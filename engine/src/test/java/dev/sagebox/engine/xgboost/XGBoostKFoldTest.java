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
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-fold cross-validation ({@code _kfold}, {@code _num_cv_round}) on the shared tabular sets. */
class XGBoostKFoldTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", w -> { });

  private static Path dataset(String name) {
    Path data = SageMakerMetricsTest.tabular().resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    return data;
  }

  private ModelManifest train(String name, Map<String, String> hp, BooleanSupplier stop, Optional<Path> ckpt) {
    Path data = dataset(name);
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(data.resolve("train/" + name + ".csv")), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(data.resolve("validation/" + name + ".csv")),
            TextFormat.CSV));
    return algorithm.train(new TrainingRequest(hp, ch, tmp.resolve("model"), ckpt, 2, listener, stop,
        Optional.of(tmp.resolve("output/data"))));
  }

  private static float[] labels(String name) {
    List<Path> files = List.of(dataset(name).resolve("train/" + name + ".csv"),
        dataset(name).resolve("validation/" + name + ".csv"));
    LabeledData d = new ChannelLoader(1).load("all", files, TextFormat.CSV, false);
    return d.labels();
  }

  private List<String[]> predictions() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve("output/data/predictions.csv"))) {
      rows.add(line.split(","));
    }
    return rows;
  }

  @Test
  void binaryFoldsWriteOneModelEachTheSummaryLineAndOutOfFoldPredictions() throws IOException {
    ModelManifest m = train("breast_cancer", Map.of("num_round", "5", "objective", "binary:logistic",
        "max_depth", "2", "eval_metric", "auc,accuracy", "_kfold", "3"), () -> false, Optional.empty());
    Path model = tmp.resolve("model");
    assertThat(model.resolve("xgboost-model-0")).isRegularFile();
    assertThat(model.resolve("xgboost-model-2")).isRegularFile();
    assertThat(model.resolve("xgboost-model-3")).doesNotExist();
    assertThat(model.resolve("xgboost-model")).doesNotExist();
    assertThat(m.modelFile()).isEqualTo("xgboost-model-0");
    assertThat(m.details()).containsEntry("kfold", "3").containsEntry("num_cv_round", "1")
        .containsEntry("ensemble_files", "xgboost-model-0,xgboost-model-1,xgboost-model-2")
        .containsEntry("fold_rounds_trained", "5,5,5").containsEntry("rounds_trained", "5")
        .containsEntry("cv_predictions", "predictions.csv").containsEntry("cv_seed", "0");
    assertThat(ModelManifest.readIfPresent(model)).isEqualTo(m);

    List<String> lines = listener.metricLines;
    assertThat(lines).hasSize(3 * 5 + 1);
    assertThat(lines.get(0)).startsWith("[0]\ttrain-auc:");
    assertThat(lines.get(5)).startsWith("[0]\t");
    String summary = lines.get(15);
    assertThat(summary).matches("\\[5\\]\\ttrain-auc:\\d\\.\\d{5}\\tvalidation-auc:\\d\\.\\d{5}"
        + "\\ttrain-accuracy:\\d\\.\\d{5}\\tvalidation-accuracy:\\d\\.\\d{5}");
    RoundLog s = RoundLog.parse(5, summary);
    for (String set : List.of("train", "validation")) {
      for (String metric : List.of("auc", "accuracy")) {
        double mean = 0;
        for (int f = 0; f < 3; f++) {
          mean += RoundLog.parse(4, lines.get(f * 5 + 4)).value(set, metric) / 3;
        }
        assertThat(s.value(set, metric)).as(set + "-" + metric).isCloseTo(mean, within(1e-5));
      }
    }

    float[] y = labels("breast_cancer");
    List<String[]> p = predictions();
    assertThat(p).hasSize(y.length).allSatisfy(r -> assertThat(r).hasSize(3));
    int correct = 0;
    for (int i = 0; i < y.length; i++) {
      assertThat(p.get(i)[0]).isEqualTo(OutOfFoldPredictions.fixed(y[i]));
      assertThat(p.get(i)[1]).matches("0\\.\\d{6}|1\\.000000");
      assertThat(p.get(i)[2]).isIn("0.000000", "1.000000");
      double prob = Double.parseDouble(p.get(i)[1]);
      assertThat(p.get(i)[2]).isEqualTo(prob > 0.5 ? "1.000000" : "0.000000");
      correct += Double.parseDouble(p.get(i)[2]) == y[i] ? 1 : 0;
    }
    // Every row predicted by the one model that did not see it: the out-of-fold accuracy of weak models.
    assertThat((double) correct / y.length).isGreaterThan(0.9);
    double validationAccuracy = s.value("validation", "accuracy");
    assertThat((double) correct / y.length).isCloseTo(validationAccuracy, within(0.02));
  }

  @Test
  void repeatedRegressionAveragesThePredictionsAndPrintsTheOverallLine() throws IOException {
    ModelManifest m = train("diabetes", Map.of("num_round", "4", "max_depth", "2", "_kfold", "4",
        "_num_cv_round", "2", "seed", "7"), () -> false, Optional.empty());
    assertThat(m.details()).containsEntry("num_cv_round", "2").containsEntry("cv_seed", "7");
    assertThat(m.details().get("ensemble_files").split(",")).hasSize(8).endsWith("xgboost-model-7");
    List<String> lines = listener.metricLines;
    assertThat(lines).hasSize(8 * 4 + 3);
    assertThat(lines.get(16)).startsWith("[4]\ttrain-rmse:");
    assertThat(lines.get(34)).startsWith("[4]\ttrain-rmse:");
    double overall = RoundLog.parse(4, lines.get(34)).value("validation", "rmse");
    double first = RoundLog.parse(4, lines.get(16)).value("validation", "rmse");
    double second = RoundLog.parse(4, lines.get(33)).value("validation", "rmse");
    assertThat(overall).isCloseTo((first + second) / 2, within(1e-5));
    List<String[]> p = predictions();
    float[] y = labels("diabetes");
    assertThat(p).hasSize(y.length).allSatisfy(r -> assertThat(r).hasSize(2));
    assertThat(p.get(0)[0]).isEqualTo(OutOfFoldPredictions.fixed(y[0]));
  }

  @Test
  void softmaxFoldsRecordClassesAndTheirProbability() throws IOException {
    train("iris", Map.of("num_round", "3", "objective", "multi:softmax", "num_class", "3", "_kfold", "5",
        "eval_metric", "merror,f1"), () -> false, Optional.empty());
    assertThat(listener.metricLines.get(15)).matches("\\[3\\]\\ttrain-merror:\\S+\\tvalidation-merror:\\S+"
        + "\\ttrain-f1:\\S+\\tvalidation-f1:\\S+");
    List<String[]> p = predictions();
    assertThat(p).hasSize(150).allSatisfy(r -> {
      assertThat(r[2]).isIn("0.000000", "1.000000", "2.000000");
      assertThat(Double.parseDouble(r[1])).isBetween(1 / 3.0, 1.0);
    });
  }

  @Test
  void eachFoldCheckpointsInItsOwnFolderAndAStopKeepsFinishedFolds() {
    AtomicInteger calls = new AtomicInteger();
    Path ckpt = tmp.resolve("ckpt");
    assertThatThrownBy(() -> train("breast_cancer", Map.of("num_round", "4", "objective", "binary:logistic",
        "_kfold", "3", "save_model_on_termination", "true"), () -> calls.incrementAndGet() > 6,
        Optional.of(ckpt)))
        .isInstanceOf(TrainingInterrupted.class)
        .hasMessageContaining("stopped on request in xgboost-model-1 after 2 round(s); 2 fold model(s) saved");
    assertThat(ckpt.resolve("model-0/xgboost-checkpoint.3")).isRegularFile();
    assertThat(ckpt.resolve("model-1/xgboost-checkpoint.1")).isRegularFile();
    ModelManifest partial = ModelManifest.readIfPresent(tmp.resolve("model"));
    assertThat(partial.details()).containsEntry("ensemble_files", "xgboost-model-0,xgboost-model-1")
        .containsEntry("stopped_by_signal", "true");

    listener.metricLines.clear();
    ModelManifest m = train("breast_cancer", Map.of("num_round", "4", "objective", "binary:logistic",
        "_kfold", "3"), () -> false, Optional.of(ckpt));
    // Fold 0 is complete in its checkpoint, fold 1 resumes at round 2, fold 2 runs all four.
    assertThat(listener.metricLines).hasSize(2 + 4 + 1);
    assertThat(listener.metricLines.get(0)).startsWith("[2]\t");
    assertThat(m.details()).containsEntry("fold_rounds_trained", "4,4,4");
  }

  @Test
  void foldsAreSeededEvenAndStratified() {
    float[] y = new float[103];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 10 == 0 ? 2 : (i % 3 == 0 ? 1 : 0);
    }
    List<String> warnings = new ArrayList<>();
    int[][] a = FoldSplits.assign(y, 5, 2, true, 11, warnings::add);
    assertThat(FoldSplits.assign(y, 5, 2, true, 11, w -> { })).isDeepEqualTo(a);
    assertThat(a[0]).isNotEqualTo(a[1]);
    for (int[] folds : a) {
      int[] size = new int[5];
      int[][] perClass = new int[3][5];
      for (int i = 0; i < y.length; i++) {
        size[folds[i]]++;
        perClass[(int) y[i]][folds[i]]++;
      }
      assertThat(Arrays.stream(size).max().getAsInt() - Arrays.stream(size).min().getAsInt()).isLessThanOrEqualTo(1);
      for (int[] c : perClass) {
        assertThat(Arrays.stream(c).max().getAsInt() - Arrays.stream(c).min().getAsInt()).isLessThanOrEqualTo(1);
      }
    }
    int[] plain = FoldSplits.assign(y, 4, 1, false, 1, w -> { })[0];
    int[] counts = new int[4];
    for (int f : plain) {
      counts[f]++;
    }
    assertThat(counts).containsExactly(26, 26, 26, 25);
    assertThat(FoldSplits.rows(plain, 3, true)).hasSize(25).isSorted();
    assertThat(warnings).isEmpty();

    FoldSplits.assign(new float[] {0, 0, 0, 1, 1, 1, 1, 2}, 3, 1, true, 0, warnings::add);
    assertThat(warnings).singleElement().asString()
        .contains("the least frequent label value has only 1 row(s), fewer than _kfold=3");
    assertThatThrownBy(() -> FoldSplits.assign(new float[] {0, 1, 0}, 5, 1, false, 0, w -> { }))
        .isInstanceOf(UserError.class).hasMessageContaining("_kfold is 5 but train and validation hold 3 row(s)");
    assertThatThrownBy(() -> FoldSplits.assign(new float[] {0, 1, 0, 1}, 3, 1, true, 0, w -> { }))
        .hasMessageContaining("stratified folds need _kfold <= 2");
  }

  @Test
  void predictionsAreFormattedAsNumpysPercentF() {
    assertThat(OutOfFoldPredictions.fixed(0.0078125)).isEqualTo("0.007812");
    assertThat(OutOfFoldPredictions.fixed(0.5)).isEqualTo("0.500000");
    assertThat(OutOfFoldPredictions.fixed(-1e-9)).isEqualTo("-0.000000");
    assertThat(OutOfFoldPredictions.fixed(151.0)).isEqualTo("151.000000");
    assertThat(OutOfFoldPredictions.fixed(1e20)).isEqualTo("100000000000000000000.000000");
    assertThat(OutOfFoldPredictions.fixed(Double.NaN)).isEqualTo("nan");
    OutOfFoldPredictions oof = new OutOfFoldPredictions(new float[] {1f}, 4, true);
    oof.record(0, 2f, 0.5f);
    oof.record(0, 1f, 0.5f);
    oof.record(0, 2f, 0.75f);
    oof.record(0, 1f, 1f);
    oof.write(tmp);
    assertThat(tmp.resolve("predictions.csv")).hasContent("1.000000,0.687500,1.000000");
  }

  @Test
  void hyperparametersAreChecked() {
    assertThatThrownBy(() -> XGBoostParams.parse(Map.of("num_round", "1", "_kfold", "1"), w -> { }))
        .hasMessageContaining("_kfold");
    List<String> warnings = new ArrayList<>();
    XGBoostParams p = XGBoostParams.parse(new HashMap<>(Map.of("num_round", "1", "_num_cv_round", "3")),
        warnings::add);
    assertThat(p.kfold()).isNull();
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("_num_cv_round is set but _kfold is not"));
  }
}
