package dev.sagebox.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results, counted by the benchmark methods and divided by JMH by the measured time, in the benchmark's
 * time unit (seconds here). They print as {@code <Benchmark>:megabytes} and {@code <Benchmark>:rows} with the unit
 * {@code ops/s}: read that as MB/s (1 MB = 10^6 bytes of input) and rows/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class DecodeCounters {
  /** Input megabytes (10^6 bytes) consumed. */
  public double megabytes;
  /** Rows decoded or predicted. */
  public long rows;

  @Setup(Level.Iteration)
  public void reset() {
    megabytes = 0;
    rows = 0;
  }

  void add(long bytes, long rowCount) {
    megabytes += bytes / 1e6;
    rows += rowCount;
  }
}
