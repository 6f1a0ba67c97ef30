package dev.sagebox.container.mme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Memory estimates for the multi-model budget. A loaded model holds about twice its files: XGBoost's trees in native
 * memory plus the Java evaluator's arrays, a network's weights plus its runtime's buffers. One MiB is added per
 * model for the fixed costs (handles, session, threads' scratch).
 */
public final class ModelMemory {
  static final long FIXED_BYTES = 1L << 20;

  private ModelMemory() {}

  public static long estimate(Path folder) {
    try (Stream<Path> files = Files.walk(folder, 4)) {
      long sum = files.filter(Files::isRegularFile).mapToLong(ModelMemory::size).sum();
      return 2 * sum + FIXED_BYTES;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The default budget: half the maximum heap. */
  public static long defaultBudget() {
    return Runtime.getRuntime().maxMemory() / 2;
  }
}
