package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.error.PlatformError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Places the line-aligned blocks of one input and hands them to parser threads. Each block's lines are counted as it
 * arrives (a cheap word-at-a-time scan), which fixes where its rows go; the first block sizes the output and has its
 * first line checked. Whoever feeds the blocks (a stream read into buffers, or an array cut in place) stays simple.
 */
final class BlockDispatcher implements AutoCloseable {
  private final CsvReader reader;
  private final int threads;
  private final long sizeHint;
  private final String source;
  private final CsvReader.Layout layout;
  private final int expectedFeatures;
  private final List<Future<?>> running = new ArrayList<>();
  private final List<CsvReader.Block> blocks = new ArrayList<>();
  private ExecutorService workers;
  private CsvReader.Output out;
  private long lineBase;
  private int rowBase;

  BlockDispatcher(CsvReader reader, int threads, long sizeHint, String source, CsvReader.Layout layout,
      int expectedFeatures) {
    this.reader = reader;
    this.threads = threads;
    this.sizeHint = sizeHint;
    this.source = source;
    this.layout = layout;
    this.expectedFeatures = expectedFeatures;
  }

  /** Lines before the next block (for locating an error found while cutting blocks). */
  long lineBase() {
    return lineBase;
  }

  /**
   * Whether {@code [start, end)} comes before the first row and holds only blank lines: then it is counted and
   * nothing keeps it.
   */
  boolean skipsBlank(byte[] buf, int start, int end) {
    if (out != null || CsvReader.firstContentLine(buf, start, end) >= 0) {
      return false;
    }
    lineBase += LineCounter.count(buf, start, end).newlines();
    return true;
  }

  /**
   * Parses the block {@code [start, end)} of {@code buf}, on a worker thread if {@code more} input follows (or on
   * this one), and runs {@code whenParsed} (if any) once its bytes are no longer needed.
   */
  void submit(byte[] buf, int start, int end, boolean more, Runnable whenParsed)
      throws InterruptedException, ExecutionException {
    if (out == null) {
      int first = CsvReader.firstContentLine(buf, start, end);
      int columns = reader.countColumns(buf, first, end);
      reader.checkFirstLine(buf, start, end, first, columns, layout, () -> source, expectedFeatures);
      int perLine = Math.max(1, lineLength(buf, first, end));
      long estimate = sizeHint > 0 ? sizeHint / perLine + sizeHint / perLine / 32 + 8 : 1024;
      out = new CsvReader.Output(columns, layout, (int) Math.min(estimate, Integer.MAX_VALUE / Math.max(1, columns)),
          source);
    }
    LineCounter.Count counted = LineCounter.count(buf, start, end);
    int rows = counted.rows();
    if (rowBase + (long) rows > out.capacity) {
      waitFor();
      out.grow(Math.max(rowBase + rows, out.capacity + out.capacity / 2 + 1024));
    }
    CsvReader.Block block = new CsvReader.Block(buf, start, end, lineBase, rowBase, rows);
    blocks.add(block);
    final CsvReader.Output target = out;
    if (workers == null && threads > 1 && more) {
      workers = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "csv-parser");
        t.setDaemon(true);
        return t;
      });
    }
    if (workers == null) {
      reader.parseBlock(block, target);
      if (whenParsed != null) {
        whenParsed.run();
      }
    } else {
      running.add(workers.submit(() -> {
        reader.parseBlock(block, target);
        if (whenParsed != null) {
          whenParsed.run();
        }
      }));
      if (running.size() > threads * 2) {
        running.remove(0).get();
      }
    }
    lineBase += counted.newlines();
    rowBase += rows;
  }

  /** Waits for all blocks; the output with its row count, or the located error of the earliest bad line. */
  CsvReader.Output finish() throws InterruptedException, ExecutionException {
    waitFor();
    if (out == null) {
      return new CsvReader.Output(Math.max(expectedFeatures, 0) + layout.leadingColumns(), layout, 0, source);
    }
    CsvReader.Block failed = null;
    for (CsvReader.Block b : blocks) {
      if (b.error != null && (failed == null || b.errorLine() < failed.errorLine())) {
        failed = b;
      }
    }
    if (failed != null) {
      throw reader.locate(failed, out, source);
    }
    out.rows = rowBase;
    return out;
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  private void waitFor() throws InterruptedException, ExecutionException {
    for (Future<?> f : running) {
      f.get();
    }
    running.clear();
  }

  private static int lineLength(byte[] data, int lineStart, int end) {
    int p = lineStart;
    while (p < end && data[p] != '\n') {
      p++;
    }
    return p - lineStart + 1;
  }

  /** Exceptions of the parser threads as the caller's; the rest as platform errors. */
  static RuntimeException unwrap(ExecutionException e, String source) {
    if (e.getCause() instanceof Error err) {
      throw err;
    }
    if (e.getCause() instanceof RuntimeException re) {
      return re;
    }
    return new PlatformError("parser failed on " + source + ": " + e.getCause(), e.getCause());
  }
}
