package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models of every objective, trained and saved by stock XGBoost 1.7.4 (Debian's python3-xgboost, see
 * resources/xgboost-models/make_models.py), served from a folder without a Sagebox manifest as SageMaker's
 * XGBoost leaves it: each must load and predict what stock XGBoost predicted.
 */
class XGBoostObjectivesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path tmp;
  private final List<String> warnings = new ArrayList<>();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", warnings::add);

  static Path fixtures() throws URISyntaxException {
    return Path.of(XGBoostObjectivesTest.class.getResource("/xgboost-models/expected.json").toURI()).getParent();
  }

  static JsonNode expected() throws IOException, URISyntaxException {
    return JSON.readTree(fixtures().resolve("expected.json").toFile());
  }

  static Stream<String> models() throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    expected().path("models").forEach(m -> names.add(m.path("file").asText()));
    return names.stream();
  }

  static DenseBatch rows(JsonNode expected) {
    JsonNode rows = expected.path("rows");
    int width = rows.get(0).size();
    float[] x = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < width; c++) {
        JsonNode v = rows.get(r).get(c);
        x[r * width + c] = v.isNull() ? Float.NaN : (float) v.asDouble();
      }
    }
    return new DenseBatch(rows.size(), width, x);
  }

  private JsonNode model(String file) throws IOException, URISyntaxException {
    for (JsonNode m : expected().path("models")) {
      if (m.path("file").asText().equals(file)) {
        return m;
      }
    }
    throw new AssertionError(file);
  }

  @ParameterizedTest
  @MethodSource("models")
  void servesEveryObjectiveFromABareFolderAsStockXGBoostPredicts(String file) throws Exception {
    JsonNode m = model(file);
    // As SageMaker names it (no extension), and under the name it was saved with (.json / .ubj).
    for (String name : List.of("xgboost-model", file)) {
      Path dir = Files.createDirectories(tmp.resolve(name + "-dir"));
      Files.copy(fixtures().resolve(file), dir.resolve(name));
      try (Predictor p = algorithm.load(dir, null, PredictorOptions.defaults())) {
        assertThat(p.manifest().objective()).isEqualTo(m.path("objective").asText());
        assertThat(p.featureCount()).isEqualTo(m.path("features").asInt());
        assertThat(p.libsvmIndexing()).isEqualTo(LibsvmIndexing.PER_REQUEST);
        Predictions out = p.predict(rows(expected()));
        Column score = out.columns().get("score");
        JsonNode want = m.path("predictions");
        for (int r = 0; r < out.rows(); r++) {
          float[] got = score instanceof Column.Vectors v ? v.values()[r]
              : new float[] {((Column.Scalars) score).values()[r]};
          assertThat(got).hasSize(want.get(r).size());
          for (int k = 0; k < got.length; k++) {
            double w = want.get(r).get(k).asDouble();
            assertThat((double) got[k]).as("%s row %d value %d", file, r, k)
                .isCloseTo(w, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(w))));
          }
        }
      }
    }
  }

  @Test
  void selectedOutputsWorkForARegressionModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("reg"));
    Files.copy(fixtures().resolve("reg_squarederror.ubj"), dir.resolve("xgboost-model"));
    try (Predictor p = algorithm.load(dir, null, new PredictorOptions(List.of("predicted_score", "predicted_label"),
        1))) {
      Predictions out = p.predict(rows(expected()));
      assertThat(((Column.Scalars) out.columns().get("predicted_score")).values()[0])
          .isCloseTo((float) model("reg_squarederror.ubj").path("predictions").get(0).get(0).asDouble(),
              org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(((Column.Scalars) out.columns().get("predicted_label")).values()[0]).isNaN();
    }
  }

  static Stream<String> legacyModels() throws Exception {
    JsonNode e = JSON.readTree(Path.of(XGBoostObjectivesTest.class.getResource("/xgboost-legacy/expected.json")
        .toURI()).toFile());
    List<String> names = new ArrayList<>();
    e.path("models").forEach(m -> names.add(m.path("file").asText()));
    return names.stream();
  }

  /** SageMaker XGBoost 1.x's binary xgboost-model files are served, predicting what XGBoost 1.7.4 predicts. */
  @ParameterizedTest
  @MethodSource("legacyModels")
  void legacyBinaryModelsFromABareFolderPredictAsXGBoost17(String file) throws Exception {
    Path legacy = Path.of(XGBoostObjectivesTest.class.getResource("/xgboost-legacy/expected.json").toURI())
        .getParent();
    JsonNode e = JSON.readTree(legacy.resolve("expected.json").toFile());
    JsonNode m = null;
    for (JsonNode candidate : e.path("models")) {
      if (candidate.path("file").asText().equals(file)) {
        m = candidate;
      }
    }
    if (m.has("iteration_range") || m.has("iteration_end")) {
      return; // predictions limited to an iteration range: checked by LegacyBinaryModelTest
    }
    Path dir = Files.createDirectories(tmp.resolve("legacy-" + file));
    Files.copy(legacy.resolve(file), dir.resolve("xgboost-model"));
    try (Predictor p = algorithm.load(dir, null, PredictorOptions.defaults())) {
      Predictions out = p.predict(rows(e));
      Column score = out.columns().get("score");
      JsonNode want = m.path("predictions");
      for (int r = 0; r < out.rows(); r++) {
        float[] got = score instanceof Column.Vectors v ? v.values()[r]
            : new float[] {((Column.Scalars) score).values()[r]};
        for (int k = 0; k < got.length; k++) {
          double w = want.get(r).get(k).asDouble();
          assertThat((double) got[k]).as("%s row %d value %d", file, r, k)
              .isCloseTo(w, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(w))));
        }
      }
    }
  }

  @Test
  void pickledModelGetsAnErrorThatSaysHowToResaveIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("pickle"));
    Files.copy(fixtures().resolve("pickled-booster"), dir.resolve("xgboost-model"));
    assertThatThrownBy(() -> algorithm.load(dir, null, PredictorOptions.defaults()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("Python pickle")
        .hasMessageContaining("save_model");
  }
}
