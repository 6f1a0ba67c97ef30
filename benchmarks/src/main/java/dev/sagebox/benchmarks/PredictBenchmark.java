package dev.sagebox.benchmarks;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.lenet.LeNetAlgorithm;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.Algorithm;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Predicting with a loaded model, the call {@code /invocations} makes after decoding: {@code predictor.predict(new
 * DenseBatch(rows, columns, values))} with 1 and 1,000 rows ({@code rows}). Each trial first trains its model once,
 * through the engine API, into a temporary folder, then loads it as {@code serve} does
 * ({@code PredictorOptions.defaults()}: one thread per prediction):
 * <ul>
 *   <li>{@code xgboost}: 100 rounds, depth 5, binary:logistic, on 5,000 HIGGS-like rows of 28 features; up to 256
 *       rows a batch goes through Sagebox's Java tree evaluator, above that through XGBoost's
 *       {@code inplace_predict} (so {@code rows=1} measures the Java evaluator, {@code rows=1000} XGBoost);</li>
 *   <li>{@code linear-learner-onnx}: binary classifier, 3 epochs, mini-batch 100, on the same rows, served from its
 *       {@code model.onnx} through ONNX Runtime (the default, {@code SAGEBOX_RUNTIME=onnx});</li>
 *   <li>{@code linear-learner-native}: the same model served by the Java predictor ({@code SAGEBOX_RUNTIME=native});</li>
 *   <li>{@code lenet}: 1 epoch on 256 random 28x28 digits (label, 784 pixels 0-255); predicts 784-pixel rows with
 *       values 0-255 (the predictor scales them).</li>
 * </ul>
 * The model's accuracy is beside the point; its size and shape (trees, weights, layers) are what cost time.
 *
 * <p>How to read the results (all per second):
 * <ul>
 *   <li>{@code PredictBenchmark.predict:rows}: <b>rows/s</b> predicted;</li>
 *   <li>{@code PredictBenchmark.predict}: predict calls per second; <b>µs per call</b> = 1,000,000 / score
 *       (with {@code rows=1}: the model's latency for a single-row request).</li>
 * </ul>
 * JMH prints both with the unit {@code ops/s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class PredictBenchmark {
  @Param({"xgboost", "linear-learner-onnx", "linear-learner-native", "lenet"})
  public String model;

  @Param({"1", "1000"})
  public int rows;

  private Path work;
  private Predictor predictor;
  private DenseBatch batch;

  @Setup(Level.Trial)
  public void trainAndLoad() {
    work = Models.tempDir("sagebox-bench-predict");
    Path modelDir = work.resolve("model");
    Algorithm algorithm;
    ModelRuntime runtime = ModelRuntime.ONNX;
    switch (model) {
      case "xgboost" -> {
        algorithm = new XGBoostAlgorithm("bench", w -> { });
        Models.train(algorithm, Models.XGBOOST, Models.tabularTrainingFile(work.resolve("train")), modelDir);
      }
      case "linear-learner-onnx", "linear-learner-native" -> {
        algorithm = new LinearLearnerAlgorithm("bench");
        Models.train(algorithm, Models.LINEAR, Models.tabularTrainingFile(work.resolve("train")), modelDir);
        if (!Files.isRegularFile(modelDir.resolve(OnnxModelWriter.FILE_NAME))) {
          throw new IllegalStateException("the linear learner wrote no " + OnnxModelWriter.FILE_NAME);
        }
        runtime = model.endsWith("-native") ? ModelRuntime.NATIVE : ModelRuntime.ONNX;
      }
      case "lenet" -> {
        algorithm = new LeNetAlgorithm("bench");
        Models.train(algorithm, Models.LENET, Models.digitsTrainingFile(work.resolve("train")), modelDir);
      }
      default -> throw new IllegalArgumentException("unknown model " + model);
    }
    predictor = Models.load(algorithm, modelDir, runtime);
    checkRuntime(runtime);
    if (model.equals("lenet")) {
      batch = new DenseBatch(rows, SyntheticData.PIXELS, SyntheticData.digits(rows, SyntheticData.SEED + 4));
    } else {
      SyntheticData.Table t = SyntheticData.binary(rows, SyntheticData.SEED + 4, 1.0);
      batch = new DenseBatch(rows, SyntheticData.FEATURES, t.featuresOf(rows));
    }
    if (predictor.featureCount() != batch.columns()) {
      throw new IllegalStateException(model + " expects " + predictor.featureCount() + " features, batch has "
          + batch.columns());
    }
    Predictions p = predictor.predict(batch);
    if (p.rows() != rows) {
      throw new IllegalStateException(model + " answered " + p.rows() + " rows for " + rows);
    }
  }

  /** Fails the trial when the linear learner was not served by the runtime its name says. */
  private void checkRuntime(ModelRuntime runtime) {
    if (!model.startsWith("linear-learner")) {
      return;
    }
    boolean onnx = predictor.getClass().getSimpleName().startsWith("Onnx");
    if (onnx != (runtime == ModelRuntime.ONNX)) {
      throw new IllegalStateException(model + " was loaded as " + predictor.getClass().getSimpleName());
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (predictor != null) {
      predictor.close();
    }
    Models.deleteTree(work);
  }

  @Benchmark
  public Predictions predict(RowCounter counter) {
    Predictions p = predictor.predict(batch);
    counter.rows += rows;
    return p;
  }
}
