package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingInterrupted;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XGBoostAlgorithmTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final List<String> metricLines = listener.metricLines;
  private final List<String> warnings = listener.warnings;
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", warnings::add);

  /** Two informative features, one noise; label = x0 + x1 > 0 (binary) or the quadrant (4 classes). */
  private Path writeCsv(String name, int rows, long seed, boolean multi) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      int label = multi ? (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0) : (a + b + 0.3 * r.nextGaussian() > 0 ? 1 : 0);
      sb.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f%n", label, a, b, r.nextGaussian()));
    }
    Path dir = Files.createDirectories(tmp.resolve(name));
    Path f = dir.resolve(name + ".csv");
    Files.writeString(f, sb);
    return f;
  }

  private TrainingRequest request(Map<String, String> hp, Path model, Optional<Path> checkpoints,
      BooleanSupplier stop, boolean multi) throws IOException {
    Map<String, ChannelInput> channels = new HashMap<>();
    channels.put("train", new ChannelInput("train", List.of(writeCsv("train", 2000, 1, multi)), TextFormat.CSV));
    channels.put("validation", new ChannelInput("validation", List.of(writeCsv("validation", 500, 2, multi)),
        null));
    return new TrainingRequest(hp, channels, model, checkpoints, 2, listener, stop);
  }

  @Test
  void trainsWritesManifestAndServesGoodPredictions() throws IOException {
    Path model = tmp.resolve("model");
    ModelManifest m = algorithm.train(request(Map.of("num_round", "20", "objective", "binary:logistic",
        "eval_metric", "error,auc", "max_depth", "3"), model, Optional.empty(), () -> false, false));
    assertThat(m.featureCount()).isEqualTo(3);
    assertThat(m.classCount()).isEqualTo(2);
    assertThat(Files.exists(model.resolve("xgboost-model"))).isTrue();
    assertThat(ModelManifest.readIfPresent(model)).isEqualTo(m);
    assertThat(metricLines).hasSize(20);
    assertThat(metricLines.get(19)).matches("\\[19\\]\\ttrain-error:\\d\\.\\d{5}\\ttrain-auc:\\d\\.\\d{5}"
        + "\\tvalidation-error:\\d\\.\\d{5}\\tvalidation-auc:(\\d\\.\\d{5})");

    try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model), PredictorOptions.defaults())) {
      Predictions out = p.predict(new DenseBatch(2, 3, new float[] {2f, 2f, 0f, -2f, -2f, 0f}));
      float[] score = ((Column.Scalars) out.columns().get("score")).values();
      assertThat(score[0]).isGreaterThan(0.9f);
      assertThat(score[1]).isLessThan(0.1f);
    }
  }

  @Test
  void earlyStoppingKeepsTheBestIteration() throws IOException {
    Path model = tmp.resolve("model");
    ModelManifest m = algorithm.train(request(Map.of("num_round", "300", "objective", "binary:logistic",
        "eval_metric", "logloss", "eta", "0.5", "early_stopping_rounds", "5"), model, Optional.empty(),
        () -> false, false));
    int best = Integer.parseInt(m.details().get("best_iteration"));
    assertThat(metricLines.size()).isLessThan(300).isEqualTo(best + 6);
    assertThat(m.details()).containsEntry("early_stopping_metric", "validation-logloss");
  }

  @Test
  void multiClassSelectedOutputs() throws IOException {
    Path model = tmp.resolve("model");
    algorithm.train(request(Map.of("num_round", "15", "objective", "multi:softprob", "num_class", "4"), model,
        Optional.empty(), () -> false, true));
    PredictorOptions opts = new PredictorOptions(List.of("predicted_label", "probability", "probabilities",
        "predicted_score"), 1);
    try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model), opts)) {
      Predictions out = p.predict(new DenseBatch(1, 3, new float[] {2f, 2f, 0f}));
      assertThat(out.keys()).containsExactly("predicted_label", "probability", "probabilities", "predicted_score");
      assertThat(((Column.Integers) out.columns().get("predicted_label")).values()).containsExactly(3);
      float[] probs = ((Column.Vectors) out.columns().get("probabilities")).values()[0];
      assertThat(probs).hasSize(4);
      assertThat(((Column.Scalars) out.columns().get("predicted_score")).values()[0]).isNaN();
    }
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'predicted_score' does not apply"));
  }

  @Test
  void unknownSelectedOutputIsRejected() throws IOException {
    Path model = tmp.resolve("model");
    algorithm.train(request(Map.of("num_round", "2", "objective", "binary:logistic"), model, Optional.empty(),
        () -> false, false));
    assertThatThrownBy(() -> algorithm.load(model, ModelManifest.readIfPresent(model),
        new PredictorOptions(List.of("confidence"), 1)))
        .isInstanceOf(UserError.class).hasMessageContaining("unknown output 'confidence'");
  }

  @Test
  void labelsAreCheckedAgainstTheObjective() throws IOException {
    Path model = tmp.resolve("model");
    assertThatThrownBy(() -> algorithm.train(request(Map.of("num_round", "2", "objective", "multi:softmax",
        "num_class", "3"), model, Optional.empty(), () -> false, true)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("label 3.0 is not valid for objective multi:softmax")
        .hasMessageContaining("whole numbers 0 to 2");
  }

  @Test
  void aBadLabelIsNamedByItsFileAndLineInAChannelOfSeveralFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("several"));
    Path a = Files.writeString(dir.resolve("a.csv"), "1,0.5,0.5,0\n".repeat(100));
    Path b = Files.writeString(dir.resolve("b.csv"), "0,1,1,1\n1,2,2,2\n7,3,3,3\n0,4,4,4\n");
    TrainingRequest r = new TrainingRequest(Map.of("num_round", "2", "objective", "binary:logistic"),
        Map.of("train", new ChannelInput("train", List.of(a, b), TextFormat.CSV)), tmp.resolve("model"),
        Optional.empty(), 2, listener, () -> false);
    assertThatThrownBy(() -> algorithm.train(r)).isInstanceOf(UserError.class)
        .hasMessageStartingWith("train/b.csv, line 3: label 7.0 is not valid for objective binary:logistic");
  }

  @Test
  void checkpointsAreWrittenAndTrainingResumes() throws IOException {
    Path model = tmp.resolve("model");
    Path ckpt = tmp.resolve("ckpt");
    AtomicInteger rounds = new AtomicInteger();
    BooleanSupplier stopAfterFour = () -> rounds.incrementAndGet() > 4;
    assertThatThrownBy(() -> algorithm.train(request(Map.of("num_round", "10", "objective", "binary:logistic",
        "save_model_on_termination", "true"), model, Optional.of(ckpt), stopAfterFour, false)))
        .isInstanceOf(TrainingInterrupted.class)
        .satisfies(e -> assertThat(((TrainingInterrupted) e).modelSaved()).isTrue());
    assertThat(Files.exists(model.resolve("xgboost-model"))).isTrue();
    assertThat(Files.exists(ckpt.resolve("xgboost-checkpoint.3"))).isTrue();
    assertThat(Files.exists(ckpt.resolve("xgboost-checkpoint.0"))).isFalse();

    // Checkpoints of another objective are not resumed under this one.
    assertThatThrownBy(() -> algorithm.train(request(Map.of("num_round", "10", "objective", "reg:logistic"), model,
        Optional.of(ckpt), () -> false, false))).isInstanceOf(UserError.class)
        .hasMessageContaining("was written by a training with objective binary:logistic, but this job's objective "
            + "is reg:logistic");
    metricLines.clear();
    ModelManifest m = algorithm.train(request(Map.of("num_round", "10", "objective", "binary:logistic"), model,
        Optional.of(ckpt), () -> false, false));
    assertThat(metricLines).hasSize(6);
    assertThat(metricLines.get(0)).startsWith("[4]\t");
    assertThat(m.details()).containsEntry("rounds_trained", "10");
  }

  @Test
  void bareModelWithoutManifestIsDescribedFromTheBooster() throws IOException {
    Path model = tmp.resolve("model");
    algorithm.train(request(Map.of("num_round", "3", "objective", "binary:logistic"), model, Optional.empty(),
        () -> false, false));
    Files.delete(model.resolve(ModelManifest.FILE_NAME));
    try (Predictor p = algorithm.load(model, null, PredictorOptions.defaults())) {
      assertThat(p.featureCount()).isEqualTo(3);
      assertThat(p.manifest().objective()).isEqualTo("binary:logistic");
    }
  }

  @Test
  void pickledModelsGetAnActionableMessage() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.write(model.resolve("xgboost-model"), new byte[] {(byte) 0x80, 3, 'c', 'x'});
    assertThatThrownBy(() -> algorithm.load(model, null, PredictorOptions.defaults()))
        .isInstanceOf(UserError.class).hasMessageContaining("Python pickle");
  }
}
