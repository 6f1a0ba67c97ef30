package dev.sagebox.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A secondary result, counted by the benchmark method and divided by JMH by the measured time, in the benchmark's
 * time unit (seconds here). It prints as {@code <Benchmark>:rows} with the unit {@code ops/s}: read that as rows/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RowCounter {
  /** Rows predicted. */
  public long rows;

  @Setup(Level.Iteration)
  public void reset() {
    rows = 0;
  }
}
