package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * survival:aft with interval labels read from CSV (lower bound, upper bound, features). The golden model and its
 * metrics come from Debian's XGBoost 1.7.4 with the bounds set directly (golden/xgboost/aft/make_reference.py).
 */
class XGBoostSurvivalTest {
  private static final String GOLDEN = "/golden/xgboost/aft/";

  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", w -> { });

  private Path fixture() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    Path f = dir.resolve("survival.csv");
    try (InputStream in = getClass().getResourceAsStream(GOLDEN + "survival.csv")) {
      Files.write(f, in.readAllBytes());
    }
    return f;
  }

  private static JsonNode reference() throws IOException {
    try (InputStream in = XGBoostSurvivalTest.class.getResourceAsStream(GOLDEN + "reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void boundsReachXGBoostAsTheReferenceSetThem() throws IOException, XGBoostError {
    JsonNode ref = reference();
    TrainingRows rows = TrainingRows.survival("train", new ChannelLoader(2).load("train", List.of(fixture()),
        TextFormat.CSV, false), false);
    assertThat(rows.features().columns()).isEqualTo(10);
    assertThat(rows.upperBounds()[1]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(rows.upperBounds()[3]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(rows.labels()[0]).isZero();
    Booster b;
    try (InputStream in = getClass().getResourceAsStream(GOLDEN + "survival.ubj")) {
      b = XGBoost.loadModel(in.readAllBytes());
    }
    DMatrix m = DMatrices.of(rows, 10);
    try {
      b.setParam("aft_loss_distribution", "normal");
      b.setParam("aft_loss_distribution_scale", 1.2);
      b.setParam("eval_metric", "aft-nloglik");
      b.setParam("eval_metric", "interval-regression-accuracy");
      RoundLog r = RoundLog.parse(0, b.evalSet(new DMatrix[] {m}, new String[] {"train"}, 0));
      assertThat(r.value("train", "aft-nloglik"))
          .isCloseTo(ref.get("metrics").get("train-aft-nloglik").asDouble(), within(1e-5));
      assertThat(r.value("train", "interval-regression-accuracy"))
          .isCloseTo(ref.get("metrics").get("train-interval-regression-accuracy").asDouble(), within(1e-6));
      float[][] p = b.predict(m);
      for (int i = 0; i < 5; i++) {
        assertThat((double) p[i][0]).isCloseTo(ref.get("first_predictions").get(i).asDouble(), within(1e-3));
      }
    } finally {
      m.dispose();
      b.dispose();
    }
  }

  @Test
  void trainsWithIntervalLabelsAndServesSurvivalTimes() throws IOException {
    Path f = fixture();
    Map<String, ChannelInput> ch = Map.of("train", new ChannelInput("train", List.of(f), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(f), TextFormat.CSV));
    Path model = tmp.resolve("model");
    ModelManifest m = algorithm.train(new TrainingRequest(Map.of("num_round", "10", "objective", "survival:aft",
        "aft_loss_distribution", "normal", "aft_loss_distribution_scale", "1.2", "max_depth", "2",
        "eval_metric", "aft-nloglik,interval-regression-accuracy", "early_stopping_rounds", "3"), ch, model,
        Optional.empty(), 2, listener, () -> false));
    assertThat(m.featureCount()).isEqualTo(10);
    assertThat(m.objective()).isEqualTo("survival:aft");
    assertThat(listener.metricLines.get(0)).matches("\\[0\\]\\ttrain-aft-nloglik:\\d+\\.\\d{5}\\ttrain-interval-"
        + "regression-accuracy:0\\.\\d{5}\\tvalidation-aft-nloglik:\\S+"
        + "\\tvalidation-interval-regression-accuracy:\\S+");
    RoundLog first = RoundLog.parse(0, listener.metricLines.get(0));
    String last = listener.metricLines.get(listener.metricLines.size() - 1);
    RoundLog end = RoundLog.parse(0, last);
    assertThat(end.value("validation", "interval-regression-accuracy"))
        .isGreaterThan(first.value("validation", "interval-regression-accuracy"));
    assertThat(end.value("train", "aft-nloglik")).isLessThan(first.value("train", "aft-nloglik"));
    try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model), PredictorOptions.defaults())) {
      float[] x = new float[10];
      float[] t = ((Column.Scalars) p.predict(new DenseBatch(1, 10, x)).columns().get("score")).values();
      assertThat(t[0]).isPositive();
    }
  }

  @Test
  void weightsFollowTheBoundsWithCsvWeights() throws IOException {
    Path f = Files.createDirectories(tmp.resolve("w")).resolve("w.csv");
    Files.writeString(f, "1,2,0.5,7,8\n3,,2,9,10\n");
    TrainingRows rows = TrainingRows.survival("train", new ChannelLoader(1).load("train", List.of(f),
        TextFormat.CSV, false), true);
    assertThat(rows.labels()).containsExactly(1f, 3f);
    assertThat(rows.upperBounds()).containsExactly(2f, Float.POSITIVE_INFINITY);
    assertThat(rows.weights()).containsExactly(0.5f, 2f);
    assertThat(((DenseBatch) rows.features()).values()).containsExactly(7f, 8f, 9f, 10f);
  }

  private void trainOn(String csv, TextFormat format) throws IOException {
    Path f = Files.createDirectories(tmp.resolve("bad")).resolve("bad.txt");
    Files.writeString(f, csv);
    Map<String, String> hp = new HashMap<>(Map.of("num_round", "1", "objective", "survival:aft"));
    algorithm.train(new TrainingRequest(hp, Map.of("train", new ChannelInput("train", List.of(f), format)),
        tmp.resolve("m"), Optional.empty(), 1, listener, () -> false));
  }

  @Test
  void badIntervalsAndFormatsAreExplained() {
    assertThatThrownBy(() -> trainOn("1,2,5\n4,3,6\n", TextFormat.CSV))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("train/bad.txt, line 2: interval [4.0, 3.0] is not valid for objective survival:aft")
        .hasMessageContaining("must be >= the lower bound, or empty or inf when there is none");
    assertThatThrownBy(() -> trainOn("-1,2,5\n", TextFormat.CSV))
        .hasMessageContaining("train/bad.txt, line 1: interval [-1.0, 2.0]").hasMessageContaining("must be a number >= 0");
    assertThatThrownBy(() -> trainOn("1,2\n", TextFormat.CSV))
        .hasMessageContaining("has 2 column(s), but objective survival:aft needs the lower bound, the upper bound "
            + "and at least one feature");
    assertThatThrownBy(() -> trainOn("1 1:2 2:3\n", TextFormat.LIBSVM))
        .hasMessageContaining("channel 'train' is libsvm, but objective survival:aft reads CSV only");
    assertThatThrownBy(() -> XGBoostParams.parse(Map.of("num_round", "1", "eval_metric",
        "interval-regression-accuracy"), w -> { }))
        .hasMessageContaining("'interval-regression-accuracy' needs objective survival:aft");
  }
}
