package dev.sagebox.benchmarks;

import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import java.nio.file.Path;
import java.util.Map;
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
 * Linear-learner training through the engine API, as {@code train} runs it: a binary classifier (logistic loss,
 * Adam, mini-batches of 1,000) on 100,000 HIGGS-like rows of 28 features, 10 epochs, so 1,000 optimiser steps per
 * call. {@code numModels} is the {@code num_models} hyperparameter (all models take every step together).
 * Each call parses the CSV (about 25 MB) again, fits the scaler, trains, calibrates, and writes the model folder
 * (JSON and ONNX), so the score is the whole of training for a small set; the per-step cost dominates it.
 * Score: milliseconds per training run (lower is better).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class LinearTrainBenchmark {
  static final int ROWS = 100_000;

  @Param({"1", "8"})
  public String numModels;

  private Path work;
  private Path trainFile;
  private int run;

  @Setup(Level.Trial)
  public void writeData() {
    work = Models.tempDir("sagebox-bench-linear-train");
    SyntheticData.Table t = SyntheticData.binary(ROWS, SyntheticData.SEED + 3, 1.0);
    trainFile = Models.write(work.resolve("train/train.csv"), SyntheticData.csv(t, t.rows(), true));
  }

  @TearDown(Level.Trial)
  public void delete() {
    Models.deleteTree(work);
  }

  @Benchmark
  public void train() {
    Models.train(new LinearLearnerAlgorithm("bench"), Map.of("predictor_type", "binary_classifier", "epochs", "10",
        "num_models", numModels, "mini_batch_size", "1000", "early_stopping_patience", "100"), trainFile,
        work.resolve("model-" + run++));
  }
}
