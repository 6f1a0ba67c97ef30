package dev.sagebox.engine.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import dev.sagebox.engine.onnx.OnnxSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The linear learner's model.onnx, served by ONNX Runtime, against the Java predictor on the shared tabular sets:
 * the same columns and labels, scores equal to 1e-5 (relative to the value when it is above 1: a float holds
 * about 7 significant digits, so a regression value of 150 is only defined to ~1e-5 absolute).
 */
class LinearOnnxTest {
  static final double TOLERANCE = 1e-5;

  @TempDir
  Path tmp;

  private final LinearLearnerAlgorithm algorithm = new LinearLearnerAlgorithm("test");

  static Path tabular(String name) {
    Path data = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("data/tabular")
        .resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    return data;
  }

  private Path train(String name, String type, int classes) {
    Path data = tabular(name);
    Map<String, String> hp = new HashMap<>(Map.of("predictor_type", type, "epochs", "5", "mini_batch_size",
        "50"));
    if (classes > 0) {
      hp.put("num_classes", Integer.toString(classes));
    }
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(data.resolve("train/" + name + ".csv")), TextFormat.CSV));
    Path model = tmp.resolve("model");
    algorithm.train(new TrainingRequest(hp, ch, model, Optional.empty(), 2, new RecordingListener(), () -> false));
    return model;
  }

  private Predictor load(Path model, ModelRuntime runtime, List<String> outputs) {
    return algorithm.load(model, ModelManifest.readIfPresent(model), new PredictorOptions(outputs, 1, true,
        runtime));
  }

  private static DenseBatch validation(String name) {
    Path file = tabular(name).resolve("validation/" + name + ".csv");
    return (DenseBatch) new ChannelLoader(1).load(new ChannelInput("validation", List.of(file), TextFormat.CSV),
        false).features();
  }

  /** The same rows as libsvm would give them: only the non-zero entries. */
  private static SparseBatch sparse(DenseBatch d) {
    long[] offsets = new long[d.rows() + 1];
    List<Integer> idx = new ArrayList<>();
    List<Float> val = new ArrayList<>();
    for (int r = 0; r < d.rows(); r++) {
      for (int c = 0; c < d.columns(); c++) {
        float v = d.get(r, c);
        if (v != 0f) {
          idx.add(c);
          val.add(v);
        }
      }
      offsets[r + 1] = idx.size();
    }
    int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] values = new float[val.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = val.get(i);
    }
    return new SparseBatch(d.rows(), d.columns(), offsets, indices, values);
  }

  /** Every third row has one value missing (NaN), which both predictors take as the training mean. */
  private static DenseBatch withMissing(DenseBatch d) {
    float[] x = d.values().clone();
    for (int r = 0; r < d.rows(); r += 3) {
      x[r * d.columns() + (r % d.columns())] = Float.NaN;
    }
    return new DenseBatch(d.rows(), d.columns(), x);
  }

  static void assertSamePredictions(Predictions onnx, Predictions java) {
    assertThat(onnx.rows()).isEqualTo(java.rows());
    assertThat(onnx.keys()).isEqualTo(java.keys());
    assertThat(onnx.selected()).isEqualTo(java.selected());
    for (String key : java.keys()) {
      Column a = onnx.columns().get(key);
      Column b = java.columns().get(key);
      assertThat(a.getClass()).as(key).isEqualTo(b.getClass());
      if (b instanceof Column.Integers labels) {
        assertThat(((Column.Integers) a).values()).as(key).containsExactly(labels.values());
      } else if (b instanceof Column.Scalars s) {
        float[] got = ((Column.Scalars) a).values();
        for (int r = 0; r < got.length; r++) {
          assertClose(got[r], s.values()[r], key + " row " + r);
        }
      } else {
        float[][] want = ((Column.Vectors) b).values();
        float[][] got = ((Column.Vectors) a).values();
        for (int r = 0; r < got.length; r++) {
          assertThat(got[r]).hasSameSizeAs(want[r]);
          for (int c = 0; c < got[r].length; c++) {
            assertClose(got[r][c], want[r][c], key + " row " + r + " class " + c);
          }
        }
      }
    }
  }

  private static void assertClose(float actual, float expected, String what) {
    assertThat((double) Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
        .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(expected)));
  }

  @ParameterizedTest
  @CsvSource({"breast_cancer,binary_classifier,0", "digits,multiclass_classifier,10", "iris,multiclass_classifier,3",
      "wine,multiclass_classifier,3", "diabetes,regressor,0"})
  void onnxRuntimeAnswersAsTheJavaPredictorOnTheTabularSets(String name, String type, int classes) {
    Path model = train(name, type, classes);
    assertThat(model.resolve(OnnxModelWriter.FILE_NAME)).isRegularFile();
    DenseBatch rows = validation(name);
    try (Predictor onnx = load(model, ModelRuntime.ONNX, List.of());
        Predictor plain = load(model, ModelRuntime.NATIVE, List.of())) {
      assertThat(onnx).isInstanceOf(OnnxLinearPredictor.class);
      assertThat(plain).isInstanceOf(LinearPredictor.class);
      for (Batch b : List.<Batch>of(rows, sparse(rows), withMissing(rows),
          new DenseBatch(1, rows.columns(), java.util.Arrays.copyOf(rows.values(), rows.columns())))) {
        assertSamePredictions(onnx.predict(b), plain.predict(b));
      }
      Predictions none = onnx.predict(new DenseBatch(0, rows.columns(), new float[0]));
      assertThat(none.rows()).isZero();
      assertThat(none.keys()).isEqualTo(plain.predict(new DenseBatch(0, rows.columns(), new float[0])).keys());
    }
  }

  @Test
  void theOnnxModelDeclaresItsInputAndOutputsPerTask() throws Exception {
    Map<String, List<String>> outputs = Map.of("binary_classifier", List.of("score", "predicted_label"),
        "multiclass_classifier", List.of("probabilities", "predicted_label"), "regressor", List.of("score"));
    for (String[] set : new String[][] {{"breast_cancer", "binary_classifier", "0"},
        {"iris", "multiclass_classifier", "3"}, {"diabetes", "regressor", "0"}}) {
      Path model = train(set[0], set[1], Integer.parseInt(set[2]));
      int features = ModelManifest.readIfPresent(model).featureCount();
      try (OrtSession s = OnnxSessions.open(model.resolve(OnnxModelWriter.FILE_NAME), 1, m -> { })) {
        assertThat(s.getInputNames()).containsExactly("features");
        assertThat(((TensorInfo) s.getInputInfo().get("features").getInfo()).getShape())
            .containsExactly(-1, features);
        assertThat(s.getOutputNames()).as(set[1]).containsExactlyElementsOf(outputs.get(set[1]));
        long[] first = ((TensorInfo) s.getOutputInfo().get(outputs.get(set[1]).get(0)).getInfo()).getShape();
        assertThat(first).containsExactly(set[1].startsWith("multi") ? new long[] {-1, 3} : new long[] {-1});
        assertThat(s.getMetadata().getProducerName()).isEqualTo("sagebox");
      }
    }
  }

  @Test
  void selectedOutputsAndTheirErrorsAreTheSameInBothRuntimes() {
    Path model = train("breast_cancer", "binary_classifier", 0);
    DenseBatch rows = validation("breast_cancer");
    for (List<String> selected : List.of(List.of("predicted_label"), List.of("score"),
        List.of("predicted_label", "score"))) {
      try (Predictor onnx = load(model, ModelRuntime.ONNX, selected);
          Predictor plain = load(model, ModelRuntime.NATIVE, selected)) {
        assertThat(onnx).isInstanceOf(OnnxLinearPredictor.class);
        assertSamePredictions(onnx.predict(rows), plain.predict(rows));
      }
    }
    String message = null;
    for (ModelRuntime runtime : ModelRuntime.values()) {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> load(model, runtime, List.of("probability")));
      assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("'probability'");
      if (message != null) {
        assertThat(t.getMessage()).isEqualTo(message);
      }
      message = t.getMessage();
    }
  }

  @Test
  void aFolderWithoutAVouchedForOnnxFileIsServedNatively() throws IOException {
    Path model = train("iris", "multiclass_classifier", 3);
    ModelManifest manifest = ModelManifest.readIfPresent(model);
    // A manifest with checksums that do not list model.onnx: the file is not part of the saved model.
    ModelManifest listed = manifest.withFiles(Map.of(LinearModel.FILE_NAME, new ModelManifest.FileDigest(1, "x")));
    try (Predictor p = algorithm.load(model, listed, PredictorOptions.defaults())) {
      assertThat(p).isInstanceOf(LinearPredictor.class);
    }
    try (Predictor p = algorithm.load(model, manifest.withFiles(Map.of(OnnxModelWriter.FILE_NAME,
        new ModelManifest.FileDigest(1, "x"))), PredictorOptions.defaults())) {
      assertThat(p).isInstanceOf(OnnxLinearPredictor.class);
    }
    // An older release wrote no model.onnx: served natively whatever the setting.
    Files.delete(model.resolve(OnnxModelWriter.FILE_NAME));
    try (Predictor p = algorithm.load(model, manifest, PredictorOptions.defaults())) {
      assertThat(p).isInstanceOf(LinearPredictor.class);
    }
  }

  @Test
  void aCorruptOnnxFileIsAUserErrorNamingIt() throws IOException {
    Path model = train("iris", "multiclass_classifier", 3);
    Files.writeString(model.resolve(OnnxModelWriter.FILE_NAME), "not a model");
    assertThatThrownBy(() -> load(model, ModelRuntime.ONNX, List.of())).isInstanceOf(UserError.class)
        .hasMessageContaining("model.onnx is not a model ONNX Runtime can load");
    try (Predictor p = load(model, ModelRuntime.NATIVE, List.of())) {
      assertThat(p).isInstanceOf(LinearPredictor.class);
    }
  }

  @Test
  void anOnnxFileOrManifestOfAnotherModelIsRefusedWhenTheModelLoads() throws IOException {
    Path iris = train("iris", "multiclass_classifier", 3);
    byte[] irisOnnx = Files.readAllBytes(iris.resolve(OnnxModelWriter.FILE_NAME));
    Files.move(iris, tmp.resolve("iris-model"));
    Path model = train("iris", "regressor", 0);
    Files.write(model.resolve(OnnxModelWriter.FILE_NAME), irisOnnx);
    assertThatThrownBy(() -> load(model, ModelRuntime.ONNX, List.of())).isInstanceOf(UserError.class)
        .hasMessageContaining("model.onnx");
    ModelManifest m = ModelManifest.readIfPresent(model);
    ModelManifest wider = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
        ((com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
            .valueToTree(m)).put("feature_count", m.featureCount() + 25), ModelManifest.class);
    assertThatThrownBy(() -> algorithm.load(model, wider, PredictorOptions.defaults())).isInstanceOf(UserError.class)
        .hasMessageContaining("says " + (m.featureCount() + 25) + " features");
  }

  /** Small probabilities keep their relative precision (ONNX Runtime's Sigmoid kernel is good to ~1e-7 absolute). */
  @Test
  void binaryScoresInTheTailsAgreeRelatively() throws Exception {
    LinearModel m = new LinearModel("binary_classifier", "logistic", 1, 1, new float[] {1f}, new float[] {0f},
        new float[] {0f}, new float[] {1f}, 0f, 1f, 0.5f);
    ModelManifest manifest = new ModelManifest(ModelManifest.CURRENT_FORMAT, LinearLearnerAlgorithm.NAME,
        LinearModel.FILE_NAME, 1, "binary_classifier", 2, "test", Map.of());
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    LinearOnnx.write(m, file);
    int n = 161;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -20f + i * 0.25f;
    }
    DenseBatch rows = new DenseBatch(n, 1, x);
    try (Predictor onnx = OnnxLinearPredictor.open(file, m, manifest, PredictorOptions.defaults());
        Predictor plain = new LinearPredictor(m, manifest, List.of())) {
      float[] a = ((Column.Scalars) onnx.predict(rows).columns().get("score")).values();
      float[] b = ((Column.Scalars) plain.predict(rows).columns().get("score")).values();
      for (int i = 0; i < n; i++) {
        assertThat((double) Math.abs(a[i] - b[i])).as("margin " + x[i] + ": " + a[i] + " vs " + b[i])
            .isLessThanOrEqualTo(TOLERANCE * Math.abs(b[i]));
      }
    }
  }
}
