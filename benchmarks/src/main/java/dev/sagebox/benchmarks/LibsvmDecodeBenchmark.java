package dev.sagebox.benchmarks;

import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a libsvm training file: {@link LibsvmReader#readLabeled(byte[], String)} on about 20 MB of HIGGS-like
 * rows, 28 features of which about 70% are present per row ({@code <label> <index>:<value> ...}, 1-based indices,
 * six decimals; see {@link SyntheticData}), with 1 and 2 parser threads ({@code threads}).
 *
 * <p>How to read the results (all per second):
 * <ul>
 *   <li>{@code LibsvmDecodeBenchmark.decode:megabytes}: <b>MB/s</b> of libsvm text decoded (1 MB = 10^6 bytes) —
 *       the headline number;</li>
 *   <li>{@code LibsvmDecodeBenchmark.decode:rows}: rows/s;</li>
 *   <li>{@code LibsvmDecodeBenchmark.decode} itself: whole 20 MB files per second.</li>
 * </ul>
 * JMH prints all three with the unit {@code ops/s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class LibsvmDecodeBenchmark {
  static final long TARGET_BYTES = 20_000_000L;
  static final double DENSITY = 0.7;

  @Param({"1", "2"})
  public int threads;

  private byte[] data;
  private LibsvmReader reader;

  @Setup(Level.Trial)
  public void generate() {
    SyntheticData.Table sample = SyntheticData.binary(1_000, SyntheticData.SEED, DENSITY);
    int rows = SyntheticData.rowsFor(TARGET_BYTES, SyntheticData.libsvm(sample, 1_000).length, 1_000);
    SyntheticData.Table t = SyntheticData.binary(rows, SyntheticData.SEED, DENSITY);
    data = SyntheticData.libsvm(t, rows);
    reader = new LibsvmReader(threads);
    LabeledData check = reader.readLabeled(data, "bench.libsvm");
    if (check.rows() != rows) {
      throw new IllegalStateException("decoded " + check.rows() + " rows, generated " + rows);
    }
  }

  @Benchmark
  public LabeledData decode(DecodeCounters counters) {
    LabeledData d = reader.readLabeled(data, "bench.libsvm");
    counters.add(data.length, d.rows());
    return d;
  }
}
