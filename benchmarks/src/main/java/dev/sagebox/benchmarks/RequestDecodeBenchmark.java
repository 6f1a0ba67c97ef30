package dev.sagebox.benchmarks;

import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.RequestDecoder;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.MediaType;
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
 * Decoding an inference request body into feature rows, as {@code /invocations} does before predicting:
 * {@code Codecs.standard().decoderFor(type).decode(body, MediaType.parse(type), 28)} for {@code text/csv} (one row
 * per line, no label) and {@code application/json} ({@code {"instances": [[...], ...]}}), with 1 and 1,000 rows of
 * 28 HIGGS-like features per body ({@link SyntheticData}). The decoder lookup and the media-type parse are part of
 * each call, as on the server.
 *
 * <p>How to read the results (all per second):
 * <ul>
 *   <li>{@code RequestDecodeBenchmark.decode}: requests (bodies) decoded per second; <b>µs per request</b> =
 *       1,000,000 / score;</li>
 *   <li>{@code RequestDecodeBenchmark.decode:rows}: <b>rows/s</b> (equal to the score for 1-row bodies);</li>
 *   <li>{@code RequestDecodeBenchmark.decode:megabytes}: MB/s of request body.</li>
 * </ul>
 * JMH prints all three with the unit {@code ops/s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class RequestDecodeBenchmark {
  @Param({"text/csv", "application/json"})
  public String type;

  @Param({"1", "1000"})
  public int rows;

  private final Codecs codecs = Codecs.standard();
  private byte[] body;

  @Setup(Level.Trial)
  public void generate() {
    SyntheticData.Table t = SyntheticData.binary(rows, SyntheticData.SEED + 3, 1.0);
    body = type.equals("text/csv") ? SyntheticData.csv(t, rows, false) : SyntheticData.jsonInstances(t, rows);
    Batch b = decodeOnce();
    if (!(b instanceof DenseBatch d) || d.rows() != rows || d.columns() != SyntheticData.FEATURES) {
      throw new IllegalStateException("decoded " + b + ", expected " + rows + " dense rows of 28");
    }
  }

  private Batch decodeOnce() {
    RequestDecoder decoder = codecs.decoderFor(type);
    return decoder.decode(body, MediaType.parse(type), SyntheticData.FEATURES);
  }

  @Benchmark
  public Batch decode(DecodeCounters counters) {
    Batch b = decodeOnce();
    counters.add(body.length, rows);
    return b;
  }
}
