package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training matrix built while the validation channel is parsed: used, right, and freed when parsing fails. */
class EarlyTrainMatrixTest {
  private static final String STARTED_EARLY = "started while 'validation' was parsed";

  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", w -> { });

  /** {@code rows} rows of a noisy linear target over {@code features} features, label first. */
  private Path csv(String name, int rows, int features, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[features];
      double y = 0;
      for (int j = 0; j < features; j++) {
        x[j] = r.nextGaussian();
        y += (j + 1) * x[j];
      }
      sb.append(String.format(Locale.ROOT, "%.5f", y + 0.1 * r.nextGaussian()));
      for (double v : x) {
        sb.append(String.format(Locale.ROOT, ",%.5f", v));
      }
      sb.append('\n');
    }
    Path p = tmp.resolve(name + ".csv");
    Files.writeString(p, sb);
    return p;
  }

  private ModelManifest train(Path train, Path validation, Map<String, String> hp) {
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(train), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(validation), TextFormat.CSV));
    return algorithm.train(new TrainingRequest(hp, ch, tmp.resolve("model"), Optional.empty(), 2, listener,
        () -> false));
  }

  @Test
  void trainingMatrixIsBuiltBesideTheValidationParseAndTrainsTheSameModel() throws IOException {
    Path train = csv("train", 3000, 6, 1);
    Path validation = csv("validation", 800, 6, 2);
    train(train, validation, Map.of("num_round", "20", "objective", "reg:squarederror", "max_depth", "4",
        "eval_metric", "rmse"));
    assertThat(listener.infos).anyMatch(l -> l.contains(STARTED_EARLY));
    // The last printed validation RMSE is that of the saved model's predictions on the validation rows: the two
    // matrices held the rows they should, in order.
    String last = listener.metricLines.get(listener.metricLines.size() - 1);
    double printed = Double.parseDouble(last.replaceAll(".*validation-rmse:([0-9.]+).*", "$1"));
    LabeledData rows = new ChannelLoader(2).load("validation", List.of(validation), TextFormat.CSV, false);
    float[] scores;
    Path model = tmp.resolve("model");
    try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model), PredictorOptions.defaults())) {
      scores = ((Column.Scalars) p.predict(rows.features()).columns().get("score")).values();
    }
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      double d = scores[i] - rows.labels()[i];
      sum += d * d;
    }
    assertThat(printed).isCloseTo(Math.sqrt(sum / scores.length), within(1e-5));
  }

  @Test
  void aValidationChannelThatFailsToParseIsReportedWhileTheMatrixIsBuilt() throws IOException {
    Path train = csv("train", 3000, 6, 1);
    Path validation = tmp.resolve("bad.csv");
    Files.writeString(validation, "1.0,2,3,4,5,6,7\n2.0,2,three,4,5,6,7\n");
    assertThatThrownBy(() -> train(train, validation, Map.of("num_round", "2")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("bad.csv")
        .hasMessageContaining("three");
  }

  @Test
  void aValidationChannelWithOtherColumnsIsRefusedWhileTheMatrixIsBuilt() throws IOException {
    Path train = csv("train", 3000, 6, 1);
    Path validation = csv("validation", 100, 5, 2);
    assertThatThrownBy(() -> train(train, validation, Map.of("num_round", "2")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("'validation' has 5 features but 'train' has 6");
  }

  @Test
  void quantileMatricesDoNotStartEarly() throws IOException {
    Path train = csv("train", 600, 4, 1);
    Path validation = csv("validation", 200, 4, 2);
    train(train, validation, Map.of("num_round", "3", "data_matrix", "quantile"));
    assertThat(listener.infos).noneMatch(l -> l.contains(STARTED_EARLY));
  }
}
