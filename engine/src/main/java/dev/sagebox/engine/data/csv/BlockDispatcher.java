package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.error.PlatformError;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Places the line-aligned blocks of one input and hands them to parser threads. A block is parsed before anyone
 * knows how many rows come before it, so on a worker it is parsed into a small buffer of its own, and its rows are
 * copied to their place, in input order, once the blocks before it are placed: no pass over the input just to count
 * its lines. Parsed on the calling thread (one block, or one thread), a block's rows go straight to their place. The
 * first block sizes the output and has its first line checked. Whoever feeds the blocks (a stream read into
 * buffers, or an array cut in place) stays simple.
 */
final class BlockDispatcher implements AutoCloseable {
  private final CsvReader reader;
  private final int threads;
  private final long sizeHint;
  private final String source;
  private final CsvReader.Layout layout;
  private final int expectedFeatures;
  /** Blocks on workers, oldest first, with the buffers their rows are parsed into. */
  private final ArrayDeque<Parsing> running = new ArrayDeque<>();
  private final ArrayDeque<ParsedRows> spareBuffers = new ArrayDeque<>();
  private ExecutorService workers;
  private ParsedRows out;
  private int bytesPerLine;
  /** Lines and rows of the blocks placed so far (and blank lines before the first row). */
  private long lineBase;
  private int rowBase;
  private CsvBlock failed;

  private record Parsing(CsvBlock block, ParsedRows rows, Future<?> done) {}

  BlockDispatcher(CsvReader reader, int threads, long sizeHint, String source, CsvReader.Layout layout,
      int expectedFeatures) {
    this.reader = reader;
    this.threads = threads;
    this.sizeHint = sizeHint;
    this.source = source;
    this.layout = layout;
    this.expectedFeatures = expectedFeatures;
  }

  /** Lines before the next block (for locating an error found while cutting blocks): waits for the blocks before. */
  long lineBase() throws InterruptedException, ExecutionException {
    placeAll();
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
      bytesPerLine = Math.max(1, lineLength(buf, first, end));
      long estimate = sizeHint > 0 ? sizeHint / bytesPerLine + sizeHint / bytesPerLine / 32 + 8 : 1024;
      out = new ParsedRows(columns, layout, (int) Math.min(estimate, Integer.MAX_VALUE / Math.max(1, columns)),
          source);
    }
    CsvBlock block = new CsvBlock(buf, start, end);
    if (workers == null && threads > 1 && more) {
      workers = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "csv-parser");
        t.setDaemon(true);
        return t;
      });
    }
    if (workers == null) {
      if (failed == null) {
        block.lineBase = lineBase;
        reader.parseBlock(block, out, rowBase);
        advance(block);
      }
      if (whenParsed != null) {
        whenParsed.run();
      }
      return;
    }
    ParsedRows rows = spareBuffers.isEmpty() ? newBuffer(end - start) : spareBuffers.pop();
    running.add(new Parsing(block, rows, workers.submit(() -> {
      reader.parseBlock(block, rows, 0);
      if (whenParsed != null) {
        whenParsed.run();
      }
    })));
    if (running.size() > threads * 2) {
      placeOldest();
    }
  }

  /** Waits for all blocks; the output with its row count, or the located error of the earliest bad line. */
  ParsedRows finish() throws InterruptedException, ExecutionException {
    placeAll();
    if (out == null) {
      return new ParsedRows(Math.max(expectedFeatures, 0) + layout.leadingColumns(), layout, 0, source);
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

  private void placeAll() throws InterruptedException, ExecutionException {
    while (!running.isEmpty()) {
      placeOldest();
    }
  }

  /** Waits for the oldest block on a worker and copies its rows to their place (none after a failed block). */
  private void placeOldest() throws InterruptedException, ExecutionException {
    Parsing p = running.peek();
    p.done.get();
    running.pop();
    CsvBlock block = p.block;
    if (failed == null) {
      block.lineBase = lineBase;
      if (block.error == null) {
        out.ensureCapacity(rowBase + (long) block.rows);
        out.put(p.rows, block.rows, rowBase);
      }
      advance(block);
    }
    spareBuffers.push(p.rows);
  }

  /** Counts a placed block's lines and rows, or keeps it as the input's first failure. */
  private void advance(CsvBlock block) {
    if (block.error != null) {
      failed = block;
      return;
    }
    lineBase += block.newlines;
    rowBase += block.rows;
  }

  /** A buffer for a block's rows, sized from its bytes and the first line's length (it grows if need be). */
  private ParsedRows newBuffer(int bytes) {
    int rows = bytes / bytesPerLine;
    return new ParsedRows(out.columns, layout, rows + rows / 8 + 64, source);
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
