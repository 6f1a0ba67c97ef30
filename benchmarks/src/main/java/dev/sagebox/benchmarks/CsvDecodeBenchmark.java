package dev.sagebox.benchmarks;

import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.csv.CsvReader;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a CSV training file: {@link CsvReader#readLabeled(byte[], String, CsvReader.Layout)} on about 20 MB of
 * HIGGS-like rows (label first, then 28 features with six decimals; see {@link SyntheticData}), with 1 and 2
 * parser threads ({@code threads}). With {@code -p file=PATH} the input is that file instead (held in memory; warm,
 * so no disk I/O is measured), e.g. the 1M x 28 set of {@code benchmarks/scripts/gen_binary_csv.py --rows 1000000}
 * ({@code cat train/data.csv validation/data.csv}); the file must be label-first CSV without a header.
 *
 * <p>How to read the results (all per second):
 * <ul>
 *   <li>{@code CsvDecodeBenchmark.decode:megabytes}: <b>MB/s</b> of CSV text decoded (1 MB = 10^6 bytes) — the
 *       headline number;</li>
 *   <li>{@code CsvDecodeBenchmark.decode:rows}: rows/s;</li>
 *   <li>{@code CsvDecodeBenchmark.decode} itself: whole 20 MB files per second.</li>
 * </ul>
 * JMH prints all three with the unit {@code ops/s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CsvDecodeBenchmark {
  static final long TARGET_BYTES = 20_000_000L;

  @Param({"1", "2"})
  public int threads;

  /** A CSV file to decode instead of the generated 20 MB (empty: generated). */
  @Param({""})
  public String file;

  private byte[] data;
  private CsvReader reader;
  private final CsvReader.Layout layout = new CsvReader.Layout(true, false);

  @Setup(Level.Trial)
  public void generate() {
    int rows;
    if (file.isEmpty()) {
      SyntheticData.Table sample = SyntheticData.binary(1_000, SyntheticData.SEED, 1.0);
      rows = SyntheticData.rowsFor(TARGET_BYTES, SyntheticData.csv(sample, 1_000, true).length, 1_000);
      SyntheticData.Table t = SyntheticData.binary(rows, SyntheticData.SEED, 1.0);
      data = SyntheticData.csv(t, rows, true);
    } else {
      try {
        data = Files.readAllBytes(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      rows = 0;
      for (byte b : data) {
        rows += b == '\n' ? 1 : 0;
      }
    }
    reader = new CsvReader((byte) ',', threads);
    LabeledData check = reader.readLabeled(data, "bench.csv", layout);
    if (check.rows() != rows) {
      throw new IllegalStateException("decoded " + check.rows() + " rows, expected " + rows);
    }
  }

  @Benchmark
  public LabeledData decode(DecodeCounters counters) {
    LabeledData d = reader.readLabeled(data, "bench.csv", layout);
    counters.add(data.length, d.rows());
    return d;
  }
}
