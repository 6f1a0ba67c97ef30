package dev.sagebox.benchmarks;

import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.model.Algorithm;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Trains the small models the prediction and serving benchmarks use, through the engine's public API. */
final class Models {
  /** XGBoost as a first model is usually trained: 100 rounds of depth-5 trees. */
  static final Map<String, String> XGBOOST = Map.of("num_round", "100", "objective", "binary:logistic",
      "max_depth", "5");
  static final Map<String, String> LINEAR = Map.of("predictor_type", "binary_classifier", "epochs", "3",
      "mini_batch_size", "100");
  static final Map<String, String> LENET = Map.of("epochs", "1");
  /** Rows of the tabular training file (HIGGS-like, see {@link SyntheticData}). */
  static final int TRAIN_ROWS = 5_000;
  static final int LENET_TRAIN_ROWS = 256;

  /** Training output is not what is measured: metric lines and messages are dropped. */
  static final TrainingListener QUIET = new TrainingListener() {
    @Override
    public void metricLine(String line) { }

    @Override
    public void info(String message) { }

    @Override
    public void warn(String message) { }
  };

  private Models() {}

  /** Writes the labelled 28-feature training CSV into {@code dir} and returns its path. */
  static Path tabularTrainingFile(Path dir) {
    SyntheticData.Table t = SyntheticData.binary(TRAIN_ROWS, SyntheticData.SEED + 1, 1.0);
    return write(dir.resolve("train.csv"), SyntheticData.csv(t, t.rows(), true));
  }

  /** Writes 256 labelled random digits (label, then 784 pixels) into {@code dir} and returns its path. */
  static Path digitsTrainingFile(Path dir) {
    return write(dir.resolve("digits.csv"), SyntheticData.digitsCsv(LENET_TRAIN_ROWS, SyntheticData.SEED + 2));
  }

  /** Trains {@code algorithm} on one CSV file into {@code modelDir} (2 threads), as {@code train} would. */
  static void train(Algorithm algorithm, Map<String, String> hyperparameters, Path trainFile, Path modelDir) {
    try {
      Files.createDirectories(modelDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    algorithm.train(new TrainingRequest(hyperparameters,
        Map.of("train", new ChannelInput("train", List.of(trainFile), TextFormat.CSV)), modelDir, Optional.empty(),
        2, QUIET, () -> false));
  }

  /** Loads a trained model folder the way {@code serve} does, with the default options. */
  static Predictor load(Algorithm algorithm, Path modelDir) {
    return load(algorithm, modelDir, PredictorOptions.defaults().runtime());
  }

  /**
   * Loads a trained model folder the way {@code serve} does with {@code SAGEBOX_RUNTIME} set to {@code runtime}
   * (which serves a folder holding {@code model.onnx}: ONNX Runtime or the algorithm's own code).
   */
  static Predictor load(Algorithm algorithm, Path modelDir, PredictorOptions.ModelRuntime runtime) {
    return algorithm.load(modelDir, ModelManifest.readIfPresent(modelDir),
        PredictorOptions.defaults().withRuntime(runtime));
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
