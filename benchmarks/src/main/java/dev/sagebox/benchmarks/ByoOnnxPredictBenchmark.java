package dev.sagebox.benchmarks;

import dev.sagebox.engine.onnx.ByoOnnxModel;
import dev.sagebox.engine.onnx.Tensor;
import dev.sagebox.engine.onnx.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Predicting with a bring-your-own ONNX model, the call {@code /invocations} makes after decoding:
 * {@code model.run(Map.of(input, tensor), List.of(firstOutput))} on 1 and 1,000 rows ({@code rows}), with the model
 * opened as {@code serve} opens it (ONNX Runtime, one intra-op thread, all graph optimisations). The models are the
 * committed test models of {@code engine/src/test/resources/onnx} (packed into this jar by the module's pom):
 * <ul>
 *   <li>{@code cnn}: {@code [N,1,28,28]} -> conv 3x3 (4 channels), relu, max-pool, dense 676x10, softmax;</li>
 *   <li>{@code mlp}: {@code [N,4]} -> dense 4x8, relu, dense 8x3.</li>
 * </ul>
 * Inputs are seeded uniform values in [0, 1).
 *
 * <p>Scores: {@code ByoOnnxPredictBenchmark.predict:rows} = <b>rows/s</b>; {@code ByoOnnxPredictBenchmark.predict}
 * = calls/s, <b>µs per call</b> = 1,000,000 / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ByoOnnxPredictBenchmark {
  @Param({"cnn", "mlp"})
  public String model;

  @Param({"1", "1000"})
  public int rows;

  private Path work;
  private ByoOnnxModel onnx;
  private Map<String, Tensor> inputs;
  private List<String> outputs;

  @Setup(Level.Trial)
  public void open() {
    work = Models.tempDir("sagebox-bench-onnx");
    Path file = work.resolve(model + ".onnx");
    try (InputStream in = ByoOnnxPredictBenchmark.class.getResourceAsStream("/onnx/" + model + ".onnx")) {
      if (in == null) {
        throw new IllegalStateException("onnx/" + model + ".onnx is not in the benchmarks jar");
      }
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    onnx = ByoOnnxModel.open(file, 1, line -> { });
    TensorSpec input = onnx.inputs().get(0);
    long[] shape = input.shape().clone();
    shape[0] = rows;
    int size = (int) (rows * input.rowSize());
    float[] values = new float[size];
    SplittableRandom random = new SplittableRandom(SyntheticData.SEED + 5);
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextDouble();
    }
    inputs = Map.of(input.name(), new Tensor.Floats(shape, values));
    outputs = List.of(onnx.outputs().get(0).name());
    Tensor out = onnx.run(inputs, outputs).get(outputs.get(0));
    if (out.shape()[0] != rows) {
      throw new IllegalStateException(model + " answered " + out.shape()[0] + " rows for " + rows);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (onnx != null) {
      onnx.close();
    }
    Models.deleteTree(work);
  }

  @Benchmark
  public Map<String, Tensor> predict(RowCounter counter) {
    Map<String, Tensor> out = onnx.run(inputs, outputs);
    counter.rows += rows;
    return out;
  }
}
