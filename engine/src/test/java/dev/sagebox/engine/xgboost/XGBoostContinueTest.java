package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continued training from a model in the {@code model} channel. */
class XGBoostContinueTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", w -> { });

  private static Path dataset(String name) {
    Path data = SageMakerMetricsTest.tabular().resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    return data;
  }

  private ModelManifest train(String name, Map<String, String> hp, Path out, List<Path> model, BooleanSupplier stop,
      Optional<Path> ckpt) {
    Path data = dataset(name);
    Map<String, ChannelInput> ch = new HashMap<>(Map.of(
        "train", new ChannelInput("train", List.of(data.resolve("train/" + name + ".csv")), TextFormat.CSV),
        "validation", new ChannelInput("validation", List.of(data.resolve("validation/" + name + ".csv")),
            TextFormat.CSV)));
    if (model != null) {
      ch.put("model", new ChannelInput("model", model, null));
    }
    return algorithm.train(new TrainingRequest(hp, ch, out, ckpt, 2, listener, stop));
  }

  private ModelManifest train(Map<String, String> hp, Path out, List<Path> model) {
    return train("breast_cancer", hp, out, model, () -> false, Optional.empty());
  }

  private static Map<String, String> hp(String... kv) {
    Map<String, String> m = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", "3",
        "eval_metric", "logloss,accuracy"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static byte[] predictions(Path modelFile) throws Exception {
    Booster b = XGBoost.loadModel(Files.readAllBytes(modelFile));
    try {
      return b.toByteArray("json");
    } finally {
      b.dispose();
    }
  }

  @Test
  void continuesASageboxModelFolderWithRoundNumbersThatFollowOn() throws Exception {
    Path first = tmp.resolve("first");
    train(hp("num_round", "5", "base_score", "0.3"), first, null);
    listener.metricLines.clear();

    Path second = tmp.resolve("second");
    ModelManifest m = train(hp("num_round", "3"), second, ChannelFiles.list(first));
    assertThat(listener.metricLines).hasSize(3);
    assertThat(listener.metricLines.get(0)).startsWith("[5]\ttrain-logloss:");
    assertThat(m.details()).containsEntry("rounds_trained", "8").containsEntry("base_rounds", "5")
        .containsEntry("base_model", "model/xgboost-model");
    String continued = listener.metricLines.get(2);

    // Five rounds then three more are the same model as eight in one go (same base_score, same trees).
    listener.metricLines.clear();
    Path straight = tmp.resolve("straight");
    train(hp("num_round", "8", "base_score", "0.3"), straight, null);
    assertThat(listener.metricLines.get(7)).isEqualTo(continued);
    assertThat(predictions(second.resolve("xgboost-model")))
        .isEqualTo(predictions(straight.resolve("xgboost-model")));
  }

  @Test
  void acceptsABareFileAndAModelTarGzAsSageMakerHandsItOver() throws Exception {
    Path first = tmp.resolve("first");
    train(hp("num_round", "4"), first, null);
    Path bare = Files.createDirectories(tmp.resolve("bare")).resolve("my-model.ubj");
    Files.copy(first.resolve("xgboost-model"), bare);
    listener.metricLines.clear();
    ModelManifest m = train(hp("num_round", "1"), tmp.resolve("b"), List.of(bare));
    assertThat(listener.metricLines).singleElement().asString().startsWith("[4]\t");
    assertThat(m.details()).containsEntry("base_model", "model/my-model.ubj");

    Path tarGz = Files.createDirectories(tmp.resolve("tar")).resolve("model.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tarGz))) {
      out.write(tar(Map.of("./" + ModelManifest.FILE_NAME, Files.readAllBytes(first.resolve(ModelManifest.FILE_NAME)),
          "./xgboost-model", Files.readAllBytes(first.resolve("xgboost-model")))));
    }
    listener.metricLines.clear();
    m = train(hp("num_round", "2"), tmp.resolve("t"), List.of(tarGz));
    assertThat(listener.metricLines.get(0)).startsWith("[4]\t");
    assertThat(m.details()).containsEntry("base_model", "model/model.tar.gz!/xgboost-model")
        .containsEntry("rounds_trained", "6");
  }

  @Test
  void continuesAModelTrainedByPythonXGBoost() throws Exception {
    Path golden = Files.createDirectories(tmp.resolve("py")).resolve("breast_cancer_logistic.ubj");
    try (InputStream in = getClass().getResourceAsStream("/golden/xgboost/metrics/breast_cancer_logistic.ubj")) {
      Files.write(golden, in.readAllBytes());
    }
    ModelManifest m = train(hp("num_round", "2", "eta", "0.1", "max_depth", "1"), tmp.resolve("c"),
        List.of(golden));
    assertThat(listener.metricLines.get(0)).startsWith("[3]\t");
    assertThat(m.details()).containsEntry("rounds_trained", "5");
  }

  @Test
  void objectiveClassesAndFeaturesMustMatchTheModel() {
    Path first = tmp.resolve("first");
    train(hp("num_round", "2"), first, null);
    List<Path> model = ChannelFiles.list(first);
    assertThatThrownBy(() -> train(Map.of("num_round", "1"), tmp.resolve("x"), model))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("the model in channel 'model' (model/xgboost-model) was trained with objective "
            + "binary:logistic, but this job's objective is reg:squarederror")
        .hasMessageContaining("set objective=binary:logistic");
    Path iris = tmp.resolve("iris");
    train("iris", Map.of("num_round", "1", "objective", "multi:softprob", "num_class", "3"), iris, null,
        () -> false, Optional.empty());
    assertThatThrownBy(() -> train("iris", Map.of("num_round", "1", "objective", "multi:softprob", "num_class",
        "4"), tmp.resolve("z"), ChannelFiles.list(iris), () -> false, Optional.empty()))
        .hasMessageContaining("has num_class 3, but this job's num_class is 4");
  }

  @Test
  void featureCountMismatchNamesBoth() throws IOException {
    Path first = tmp.resolve("first");
    train("diabetes", Map.of("num_round", "1"), first, null, () -> false, Optional.empty());
    Path wine = dataset("wine");
    Map<String, ChannelInput> ch = Map.of(
        "train", new ChannelInput("train", List.of(wine.resolve("train/wine.csv")), TextFormat.CSV),
        "model", new ChannelInput("model", ChannelFiles.list(first), null));
    assertThatThrownBy(() -> algorithm.train(new TrainingRequest(Map.of("num_round", "1"), ch, tmp.resolve("v"),
        Optional.empty(), 2, listener, () -> false)))
        .hasMessageContaining("the data has 13 features but the model in channel 'model' (model/xgboost-model) was "
            + "trained on 10");
  }

  @Test
  void ambiguousOrForeignChannelsAreExplained() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("two"));
    Files.writeString(dir.resolve("a.bin"), "x");
    Files.writeString(dir.resolve("b.bin"), "y");
    assertThatThrownBy(() -> train(hp("num_round", "1"), tmp.resolve("m"), ChannelFiles.list(dir)))
        .hasMessageContaining("channel 'model' holds 2 files [a.bin, b.bin] and no sagebox-model.json");
    Path pickle = Files.createDirectories(tmp.resolve("pkl")).resolve("xgboost-model");
    Files.write(pickle, new byte[] {(byte) 0x80, 4, 'x'});
    assertThatThrownBy(() -> train(hp("num_round", "1"), tmp.resolve("m"), List.of(pickle)))
        .hasMessageContaining("model/xgboost-model is a Python pickle");
    Path junk = Files.createDirectories(tmp.resolve("junk")).resolve("notes.txt");
    Files.writeString(junk, "not a model");
    assertThatThrownBy(() -> train(hp("num_round", "1"), tmp.resolve("m"), List.of(junk)))
        .hasMessageContaining("model/notes.txt is not a model XGBoost can load");
    // SageMaker XGBoost 1.x's binary format is read as serving reads it: this one is refused for its width only.
    Path legacy = Files.createDirectories(tmp.resolve("legacy")).resolve("xgboost-model");
    Files.copy(Path.of("src/test/resources/xgboost-legacy/binary_logistic"), legacy);
    assertThatThrownBy(() -> train(hp("num_round", "1"), tmp.resolve("m"), List.of(legacy)))
        .hasMessageContaining("was trained on 5").satisfies(e -> assertThat(e.getMessage())
            .doesNotContain("not a model XGBoost can load"));
    Path empty = Files.createDirectories(tmp.resolve("empty")).resolve("xgboost-model");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> train(hp("num_round", "1"), tmp.resolve("m"), List.of(empty)))
        .hasMessageContaining("model/xgboost-model is empty (0 bytes)");
  }

  @Test
  void checkpointsResumeAContinuedRun() {
    Path first = tmp.resolve("first");
    train(hp("num_round", "3"), first, null);
    List<Path> model = ChannelFiles.list(first);
    Path ckpt = tmp.resolve("ckpt");
    AtomicInteger calls = new AtomicInteger();
    listener.metricLines.clear();
    assertThatThrownBy(() -> train("breast_cancer", hp("num_round", "4"), tmp.resolve("c"), model,
        () -> calls.incrementAndGet() > 2, Optional.of(ckpt)))
        .isInstanceOf(TrainingInterrupted.class);
    assertThat(listener.metricLines).hasSize(2);
    assertThat(ckpt.resolve("xgboost-checkpoint.4")).isRegularFile();
    listener.metricLines.clear();
    ModelManifest m = train("breast_cancer", hp("num_round", "4"), tmp.resolve("c"), model, () -> false,
        Optional.of(ckpt));
    assertThat(listener.metricLines).hasSize(2);
    assertThat(listener.metricLines.get(0)).startsWith("[5]\t");
    assertThat(m.details()).containsEntry("rounds_trained", "7");
  }

  @Test
  void kFoldContinuesEveryFoldFromTheModel() {
    Path first = tmp.resolve("first");
    train(hp("num_round", "2"), first, null);
    listener.metricLines.clear();
    ModelManifest m = train("breast_cancer", hp("num_round", "2", "_kfold", "2"), tmp.resolve("k"),
        ChannelFiles.list(first), () -> false, Optional.empty());
    assertThat(listener.metricLines.get(0)).startsWith("[2]\t");
    assertThat(listener.metricLines.get(4)).startsWith("[4]\ttrain-logloss:");
    assertThat(m.details()).containsEntry("fold_rounds_trained", "4,4");
  }

  /** A minimal ustar archive of regular files. */
  private static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(files).entrySet()) {
      byte[] h = new byte[512];
      put(h, 0, e.getKey());
      put(h, 100, "0000644");
      put(h, 124, String.format("%011o", e.getValue().length));
      h[156] = '0';
      put(h, 257, "ustar");
      h[262] = 0;
      put(h, 263, "00");
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      out.write(h);
      out.write(e.getValue());
      out.write(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
