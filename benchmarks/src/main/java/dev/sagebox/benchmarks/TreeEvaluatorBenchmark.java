package dev.sagebox.benchmarks;

import dev.sagebox.engine.xgboost.trees.TreeEnsemble;
import dev.sagebox.engine.xgboost.trees.TreeModelReader;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
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
 * The Java tree evaluator against XGBoost's {@code inplace_predict} (one thread) on a 100-tree, depth-6
 * binary:logistic model of 28 features, for 1, 10, 100 and 1,000 rows: where the crossover lies. Scores are calls
 * per second; µs per call = 1,000,000 / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TreeEvaluatorBenchmark {
  @Param({"1", "10", "100", "1000"})
  public int rows;

  private Booster booster;
  private TreeEnsemble ensemble;
  private float[] x;
  private int columns;

  @Setup(Level.Trial)
  public void train() throws XGBoostError {
    SyntheticData.Table t = SyntheticData.binary(5_000, SyntheticData.SEED, 1.0);
    DMatrix m = new DMatrix(t.x(), t.rows(), t.columns(), Float.NaN);
    try {
      m.setLabel(t.labels());
      booster = XGBoost.train(m, Map.of("objective", "binary:logistic", "max_depth", 6, "nthread", 1, "seed", 1),
          100, Map.of(), null, null);
      booster.setParam("nthread", 1);
    } finally {
      m.dispose();
    }
    ensemble = ((TreeModelReader.Compiled.Ready) TreeModelReader.compile(booster.toByteArray("json"))).ensemble();
    columns = t.columns();
    x = SyntheticData.binary(rows, SyntheticData.SEED + 9, 0.9).featuresOf(rows);
  }

  @TearDown(Level.Trial)
  public void dispose() {
    booster.dispose();
  }

  @Benchmark
  public float[][] javaEvaluator() {
    return ensemble.predict(ensemble.margins(x, rows, columns), rows);
  }

  @Benchmark
  public float[][] inplacePredict() throws XGBoostError {
    return booster.inplace_predict(x, rows, columns, Float.NaN);
  }
}
