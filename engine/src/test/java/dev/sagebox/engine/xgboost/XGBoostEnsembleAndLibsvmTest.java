package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders of several model files served as SageMaker's XGBoost does, and 1-based libsvm from training to serving. */
class XGBoostEnsembleAndLibsvmTest {
  private static final int ROWS = 300;
  private static final int FEATURES = 4;
  @TempDir
  Path tmp;
  private final List<String> warnings = new ArrayList<>();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", warnings::add);

  private static float[] data(long seed) {
    Random r = new Random(seed);
    float[] x = new float[ROWS * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** Trains a small booster of {@code objective} whose labels follow the first two features, and saves it. */
  private static void model(Path file, String objective, long seed) throws Exception {
    float[] x = data(seed);
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      float s = x[i * FEATURES] + x[i * FEATURES + 1];
      y[i] = switch (objective) {
        case "multi:softmax" -> s < -0.5f ? 0 : s < 0.5f ? 1 : 2;
        case "binary:logistic" -> s > 0 ? 1 : 0;
        default -> s;
      };
    }
    DMatrix d = new DMatrix(x, ROWS, FEATURES, Float.NaN);
    d.setLabel(y);
    Map<String, Object> p = new HashMap<>(Map.of("objective", objective, "max_depth", 3, "eta", 0.5,
        "nthread", 1, "seed", (int) seed, "subsample", 0.7));
    if (objective.startsWith("multi:")) {
      p.put("num_class", 3);
    }
    Booster b = XGBoost.train(d, p, 6, Map.of(), null, null);
    Files.write(file, b.toByteArray("ubj"));
    b.dispose();
    d.dispose();
  }

  private static DenseBatch probe() {
    return new DenseBatch(ROWS, FEATURES, data(99));
  }

  private float[] scores(Path dir, PredictorOptions options) {
    try (Predictor p = algorithm.load(dir, ModelManifest.readIfPresent(dir), options)) {
      return ((Column.Scalars) p.predict(probe()).columns().get("score")).values();
    }
  }

  private Path single(Path file) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("single-" + file.getFileName()));
    Files.copy(file, dir.resolve("xgboost-model"));
    return dir;
  }

  @Test
  void severalModelFilesAreAveragedAndEnsembleFalseServesTheFirst() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("kfold"));
    for (int k = 0; k < 3; k++) {
      model(dir.resolve("xgboost-model-" + k), "reg:squarederror", 10 + k);
    }
    float[][] each = new float[3][];
    for (int k = 0; k < 3; k++) {
      each[k] = scores(single(dir.resolve("xgboost-model-" + k)), PredictorOptions.defaults());
    }
    float[] mean = scores(dir, PredictorOptions.defaults());
    for (int r = 0; r < ROWS; r++) {
      assertThat(mean[r]).isCloseTo((each[0][r] + each[1][r] + each[2][r]) / 3, within(1e-5f));
    }
    assertThat(warnings).anyMatch(w -> w.contains("ensemble of 3 models"));
    float[] first = scores(dir, new PredictorOptions(List.of(), 1, false));
    assertThat(first).containsExactly(each[0]);
  }

  @Test
  void classNumberObjectivesVote() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("vote"));
    for (int k = 0; k < 3; k++) {
      model(dir.resolve("xgboost-model-" + k), "multi:softmax", 20 + k);
    }
    float[][] each = new float[3][];
    for (int k = 0; k < 3; k++) {
      each[k] = scores(single(dir.resolve("xgboost-model-" + k)), PredictorOptions.defaults());
    }
    float[] voted = scores(dir, PredictorOptions.defaults());
    int disagreements = 0;
    for (int r = 0; r < ROWS; r++) {
      int[] counts = new int[3];
      for (float[] e : each) {
        counts[(int) e[r]]++;
      }
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = counts[c] > counts[best] ? c : best;
      }
      disagreements += each[0][r] != each[1][r] || each[1][r] != each[2][r] ? 1 : 0;
      assertThat(voted[r]).as("row %d", r).isEqualTo((float) best);
    }
    assertThat(disagreements).as("members that disagree somewhere, so the vote is exercised").isPositive();
  }

  @Test
  void anUnloadableExtraFileIsLoggedAndMembersOfAnotherTaskAreRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("extra"));
    model(dir.resolve("xgboost-model"), "reg:squarederror", 1);
    Files.writeString(dir.resolve("README.txt"), "trained on 2026-11-30");
    float[] s = scores(dir, PredictorOptions.defaults());
    assertThat(s).hasSize(ROWS);
    assertThat(warnings).anyMatch(w -> w.contains("not using README.txt"));
    model(dir.resolve("xgboost-model-b"), "binary:logistic", 2);
    assertThatThrownBy(() -> scores(dir, PredictorOptions.defaults()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("xgboost-model-b (binary:logistic")
        .hasMessageContaining("same task");
  }

  @Test
  void manifestFileNamesCannotLeaveTheModelFolder() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("escape"));
    model(dir.resolve("xgboost-model"), "reg:squarederror", 1);
    for (String name : List.of("../xgboost-model", "/etc/passwd", "..")) {
      new ModelManifest(1, "xgboost", name, FEATURES, "reg:squarederror", null, "t", Map.of()).write(dir);
      assertThatThrownBy(() -> scores(dir, PredictorOptions.defaults()))
          .isInstanceOf(UserError.class).hasMessageContaining("must be a plain file name");
    }
  }

  @Test
  void oneBasedLibsvmTrainsTheSameModelAsCsvAndServesCsvOfTheNaturalWidth() throws Exception {
    Random r = new Random(5);
    StringBuilder csv = new StringBuilder();
    StringBuilder libsvm = new StringBuilder();
    List<String> requestRows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      float[] f = new float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        f[j] = (float) Math.round((r.nextGaussian() + 3) * 1000) / 1000f;
      }
      int label = f[0] + f[1] + 0.3 * r.nextGaussian() > 6 ? 1 : 0;
      StringBuilder row = new StringBuilder();
      csv.append(label);
      libsvm.append(label);
      for (int j = 0; j < FEATURES; j++) {
        String v = String.format(Locale.ROOT, "%.3f", f[j]);
        csv.append(',').append(v);
        libsvm.append(' ').append(j + 1).append(':').append(v);
        row.append(j == 0 ? "" : ",").append(v);
      }
      csv.append('\n');
      libsvm.append('\n');
      if (i < 20) {
        requestRows.add(row.toString());
      }
    }
    Path fromCsv = train("csv", csv.toString(), TextFormat.CSV);
    Path fromLibsvm = train("libsvm", libsvm.toString(), TextFormat.LIBSVM);
    ModelManifest m = ModelManifest.readIfPresent(fromLibsvm);
    assertThat(m.featureCount()).isEqualTo(FEATURES);
    assertThat(m.details()).containsEntry(LibsvmIndexing.MANIFEST_KEY, "1");
    assertThat(ModelManifest.readIfPresent(fromCsv).details()).containsEntry(LibsvmIndexing.MANIFEST_KEY,
        "per_request");
    byte[] body = (String.join("\n", requestRows) + "\n").getBytes(StandardCharsets.UTF_8);
    try (Predictor a = algorithm.load(fromCsv, ModelManifest.readIfPresent(fromCsv), PredictorOptions.defaults());
        Predictor b = algorithm.load(fromLibsvm, m, PredictorOptions.defaults())) {
      assertThat(b.libsvmIndexing()).isEqualTo(LibsvmIndexing.ONE_BASED);
      var decoder = Codecs.standard().decoderFor("text/csv");
      float[] viaCsv = scores(a, decoder.decode(body, MediaType.CSV, InputShape.strict(FEATURES)));
      float[] viaLibsvmModel = scores(b, decoder.decode(body, MediaType.CSV, InputShape.strict(FEATURES)));
      assertThat(viaLibsvmModel).containsExactly(viaCsv);
      // The training rows themselves, sent as 1-based libsvm, give the same scores.
      String firstRows = String.join("\n", libsvm.toString().lines().limit(20).toList()) + "\n";
      float[] viaLibsvmRequest = scores(b, Codecs.standard().decoderFor("text/libsvm").decode(
          firstRows.getBytes(StandardCharsets.UTF_8), MediaType.LIBSVM,
          InputShape.strict(FEATURES).withLibsvmIndexing(b.libsvmIndexing())));
      assertThat(viaLibsvmRequest).containsExactly(viaCsv);
    }
  }

  private static float[] scores(Predictor p, dev.sagebox.engine.data.Batch batch) {
    return ((Column.Scalars) p.predict(batch).columns().get("score")).values();
  }

  private Path train(String name, String text, TextFormat format) throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data-" + name));
    Path file = Files.writeString(data.resolve("train." + name), text);
    Path model = tmp.resolve("model-" + name);
    new XGBoostAlgorithm("test", warnings::add).train(new TrainingRequest(
        Map.of("num_round", "10", "objective", "binary:logistic", "max_depth", "3"),
        Map.of("train", new ChannelInput("train", List.of(file), format)), model, Optional.empty(), 1,
        new RecordingListener(), () -> false));
    return model;
  }

  private static org.assertj.core.data.Offset<Float> within(float f) {
    return org.assertj.core.data.Offset.offset(f);
  }
}
