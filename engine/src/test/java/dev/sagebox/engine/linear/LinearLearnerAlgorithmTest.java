package dev.sagebox.engine.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.HyperparameterError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinearLearnerAlgorithmTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final List<String> metricLines = listener.metricLines;
  private final LinearLearnerAlgorithm algorithm = new LinearLearnerAlgorithm("test");

  /** label from a linear rule with noise: binary (x0 + 2 x1 > 0), 3 classes (which of x0, x1, x2 is largest), or y. */
  private Path csv(String name, String task, int rows, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian() * 100};
      double label = switch (task) {
        case "binary" -> x[0] + 2 * x[1] + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
        case "multi" -> x[0] > x[1] && x[0] > x[2] ? 0 : (x[1] > x[2] ? 1 : 2);
        default -> 3 * x[0] - 2 * x[1] + 0.01 * x[3] + 50 + 0.1 * r.nextGaussian();
      };
      sb.append(String.format(Locale.ROOT, "%s,%.5f,%.5f,%.5f,%.5f%n", label, x[0], x[1], x[2], x[3]));
    }
    Path dir = Files.createDirectories(tmp.resolve(name));
    return Files.writeString(dir.resolve("data.csv"), sb);
  }

  private ModelManifest train(String task, Map<String, String> hp, boolean withTest) throws IOException {
    Map<String, ChannelInput> ch = new HashMap<>();
    ch.put("train", new ChannelInput("train", List.of(csv("train", task, 3000, 1)), TextFormat.CSV));
    ch.put("validation", new ChannelInput("validation", List.of(csv("validation", task, 600, 2)), null));
    if (withTest) {
      ch.put("test", new ChannelInput("test", List.of(csv("test", task, 600, 3)), TextFormat.CSV));
    }
    return algorithm.train(new TrainingRequest(hp, ch, tmp.resolve("model"), Optional.empty(), 2, listener,
        () -> false));
  }

  private double finalMetric(String set, String name) {
    Pattern p = Pattern.compile("#quality_metric: host=\\S+, epoch=final, " + set + " " + name + " <\\w+>=(\\S+)");
    for (String l : metricLines) {
      Matcher m = p.matcher(l);
      if (m.matches()) {
        return Double.parseDouble(m.group(1));
      }
    }
    throw new AssertionError("no " + set + " " + name + " in " + metricLines);
  }

  private Predictor load(List<String> outputs) {
    Path model = tmp.resolve("model");
    return algorithm.load(model, ModelManifest.readIfPresent(model), new PredictorOptions(outputs, 1));
  }

  @Test
  void binaryClassifierLearnsCalibratesAndAnswersScoreAndLabel() throws IOException {
    ModelManifest m = train("binary", Map.of("predictor_type", "binary_classifier", "mini_batch_size", "100",
        "epochs", "10"), true);
    assertThat(m.algorithm()).isEqualTo("linear-learner");
    assertThat(m.featureCount()).isEqualTo(4);
    assertThat(m.details()).containsKey("threshold");
    assertThat(finalMetric("validation", "binary_classification_accuracy")).isGreaterThan(0.93);
    assertThat(finalMetric("test", "roc_auc_score")).isGreaterThan(0.98);
    assertThat(metricLines).anyMatch(l -> l.matches("#quality_metric: host=algo-1, epoch=0, validation "
        + "objective_loss <loss>=\\S+"));
    try (Predictor p = load(List.of())) {
      Predictions out = p.predict(new DenseBatch(2, 4, new float[] {2, 2, 0, 0, -2, -2, 0, 0}));
      assertThat(out.keys()).containsExactly("score", "predicted_label");
      float[] score = ((Column.Scalars) out.columns().get("score")).values();
      assertThat(score[0]).isGreaterThan(0.9f);
      assertThat(score[1]).isLessThan(0.1f);
      assertThat(((Column.Integers) out.columns().get("predicted_label")).values()).containsExactly(1, 0);
    }
  }

  @Test
  void multiclassScoreIsTheProbabilityList() throws IOException {
    train("multi", Map.of("predictor_type", "multiclass_classifier", "num_classes", "3", "mini_batch_size", "100"),
        false);
    assertThat(finalMetric("validation", "multiclass_accuracy")).isGreaterThan(0.9);
    try (Predictor p = load(List.of())) {
      Predictions out = p.predict(new DenseBatch(1, 4, new float[] {3, -1, -1, 0}));
      float[] probs = ((Column.Vectors) out.columns().get("score")).values()[0];
      assertThat(probs).hasSize(3);
      assertThat(probs[0] + probs[1] + probs[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(((Column.Integers) out.columns().get("predicted_label")).values()).containsExactly(0);
    }
  }

  @ParameterizedTest
  @CsvSource({"squared_loss,adam", "absolute_loss,sgd", "huber_loss,rmsprop", "quantile_loss,adam",
      "eps_insensitive_squared_loss,adam", "eps_insensitive_absolute_loss,adam"})
  void regressorWithEachLossAndOptimizer(String loss, String optimizer) throws IOException {
    train("reg", Map.of("predictor_type", "regressor", "loss", loss, "optimizer", optimizer, "mini_batch_size",
        "50", "epochs", "20"), false);
    assertThat(finalMetric("validation", "rmse")).isLessThan(0.6);
    try (Predictor p = load(List.of())) {
      Predictions out = p.predict(new DenseBatch(1, 4, new float[] {1, 1, 0, 0}));
      assertThat(out.keys()).containsExactly("score");
      assertThat(((Column.Scalars) out.columns().get("score")).values()[0]).isBetween(49.5f, 52.5f);
    }
  }

  @Test
  void hyperparameterRules() {
    assertThatThrownBy(() -> LinearParams.parse(Map.of(), w -> { }))
        .isInstanceOf(HyperparameterError.class).hasMessageContaining("'predictor_type': is required");
    assertThatThrownBy(() -> LinearParams.parse(Map.of("predictor_type", "multiclass_classifier"), w -> { }))
        .hasMessageContaining("'num_classes': is required");
    assertThatThrownBy(() -> LinearParams.parse(Map.of("predictor_type", "regressor", "loss", "logistic"), w -> { }))
        .hasMessageContaining("'logistic' does not fit predictor_type regressor");
    assertThatThrownBy(() -> LinearParams.parse(Map.of("predictor_type", "binary_classifier",
        "positive_example_weight_mult", "-2"), w -> { }))
        .hasMessageContaining("auto, balanced, or a number > 0");
    assertThatThrownBy(() -> LinearParams.parse(Map.of("predictor_type", "binary_classifier", "learning_rate",
        "fast"), w -> { }))
        .hasMessageContaining("expected auto or a number > 0");
    LinearParams p = LinearParams.parse(Map.of("predictor_type", "binary_classifier", "use_bias", "True",
        "normalize_data", "False", "num_models", "auto"), w -> { });
    assertThat(p.models()).isEqualTo(8);
    assertThat(p.normalizeData()).isFalse();
    assertThat(p.loss()).isEqualTo("logistic");
    assertThat(p.optimizer()).isEqualTo("adam");
    assertThat(LinearParams.parse(Map.of("predictor_type", "regressor", "num_models", "3", "learning_rate", "0.1"),
        w -> { }).learningRates()).containsExactly(0.1, 0.1, 0.1);
  }

  @Test
  void invalidLabelsNameTheRow() {
    assertThatThrownBy(() -> train("multi", Map.of("predictor_type", "binary_classifier"), false))
        .isInstanceOf(UserError.class).hasMessageContaining("labels must be 0 or 1")
        .hasMessageMatching("train/data\\.csv, line \\d+: label 2\\.0 is invalid .*");
  }

  @Test
  void thresholdCalibrationFollowsTheCriterion() {
    float[] scores = {0.9f, 0.8f, 0.7f, 0.6f, 0.4f, 0.3f, 0.2f, 0.1f};
    float[] labels = {1, 1, 0, 1, 0, 1, 0, 0};
    LinearParams acc = LinearParams.parse(Map.of("predictor_type", "binary_classifier"), w -> { });
    Calibration.Result a = Calibration.calibrate(scores, labels, acc);
    assertThat(a.value()).isEqualTo(0.75);
    LinearParams recall = LinearParams.parse(Map.of("predictor_type", "binary_classifier",
        "binary_classifier_model_selection_criteria", "precision_at_target_recall", "target_recall", "0.99"),
        w -> { });
    Calibration.Result r = Calibration.calibrate(scores, labels, recall);
    // All four positives need the threshold below 0.3: precision 4/6.
    assertThat(r.threshold()).isLessThan(0.3f).isGreaterThan(0.2f);
    assertThat(r.value()).isCloseTo(4 / 6.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  /** Quality next to scikit-learn on the shared tabular sets (references from sklearn_linear_reference.py). */
  @ParameterizedTest
  @CsvSource({"breast_cancer,binary_classifier,0,0.9824561,100", "digits,multiclass_classifier,10,0.9722222,100",
      "wine,multiclass_classifier,3,0.9722222,10", "diabetes,regressor,0,53.853446,100"})
  void qualityNextToScikitLearn(String name, String type, int classes, double sklearn, int batch) throws IOException {
    Path data = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("data/tabular")
        .resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    // wine has 142 training rows: batches of 10 give it enough steps in 15 epochs.
    Map<String, String> hp = new HashMap<>(Map.of("predictor_type", type, "mini_batch_size",
        Integer.toString(batch)));
    if (classes > 0) {
      hp.put("num_classes", Integer.toString(classes));
    }
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(data.resolve("train/" + name + ".csv")), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(data.resolve("validation/" + name + ".csv")),
            TextFormat.CSV));
    algorithm.train(new TrainingRequest(hp, ch, tmp.resolve("model"), Optional.empty(), 2, listener, () -> false));
    switch (type) {
      case "binary_classifier" -> assertThat(finalMetric("validation", "binary_classification_accuracy"))
          .isGreaterThanOrEqualTo(sklearn - 0.01);
      case "multiclass_classifier" -> assertThat(finalMetric("validation", "multiclass_accuracy"))
          .isGreaterThanOrEqualTo(sklearn - 0.02);
      default -> assertThat(finalMetric("validation", "rmse")).isLessThanOrEqualTo(sklearn * 1.05);
    }
  }
}
