package dev.sagebox.engine.data;

import dev.sagebox.engine.error.PlatformError;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a channel's files whole ({@link ChannelFiles#readWhole}) ahead of the parser, on a few threads, and hands
 * them back one by one in file order. With many small files the time goes to opening and reading them (a few
 * system calls each, and on FastFile mode a network round trip), not to parsing, so reading several at once is what
 * pays; the parser stays on the calling thread and appends rows in order.
 *
 * <p>Work is cut into batches of consecutive files, at most {@code 2 x threads} of them read ahead. A batch stops
 * reading after {@link #BATCH_BYTES}; the files after that point are read by the calling thread when it reaches
 * them, so memory held ahead stays bounded (about 8 MB a batch) whatever the file sizes. A file that fails to read is reported when the caller reaches it, so errors come in
 * file order as they would without reading ahead.
 */
final class FilePrefetch implements AutoCloseable {
  static final int BATCH_FILES = 256;
  static final long BATCH_BYTES = 4 << 20;
  /** Reading is waiting on the file system, not computing: a few threads overlap it, more only hold memory. */
  static final int MAX_THREADS = 8;
  private final List<Path> files;
  private final long maxStored;
  private final int maxContent;
  private final ExecutorService workers;
  private final int ahead;
  private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
  private int submitted;
  private Batch current;
  private int next;

  /**
   * @param threads how many files may be read at once; 1 reads each file on the calling thread when asked for
   * @param maxStored files larger than this on disk are not read whole
   * @param maxContent files larger than this once gunzipped are not read whole
   */
  FilePrefetch(List<Path> files, int threads, long maxStored, int maxContent) {
    this.files = files;
    this.maxStored = maxStored;
    this.maxContent = maxContent;
    int readers = Math.min(threads, MAX_THREADS);
    boolean parallel = readers > 1 && files.size() > BATCH_FILES;
    this.ahead = parallel ? readers * 2 : 0;
    this.workers = parallel ? Executors.newFixedThreadPool(readers, r -> {
      Thread t = new Thread(r, "channel-reader");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** The next file in order, read whole or marked too large ({@code content == null}). */
  ChannelFiles.Whole next() {
    int index = next++;
    if (workers == null) {
      return read(files.get(index));
    }
    while (submitted < files.size() && pending.size() < ahead) {
      int from = submitted;
      int to = Math.min(files.size(), from + BATCH_FILES);
      pending.add(workers.submit(() -> readBatch(from, to)));
      submitted = to;
    }
    if (current == null || index >= current.to) {
      current = take(pending.poll());
    }
    return current.get(index);
  }

  private ChannelFiles.Whole read(Path file) {
    return ChannelFiles.readWhole(file, maxStored, maxContent);
  }

  private Batch readBatch(int from, int to) {
    Batch b = new Batch(from, to);
    long bytes = 0;
    for (int i = from; i < to && bytes < BATCH_BYTES; i++) {
      try {
        ChannelFiles.Whole w = read(files.get(i));
        b.read[i - from] = w;
        bytes += w.content() == null ? 0 : w.content().length;
      } catch (RuntimeException e) {
        b.failure = e;
        b.failedAt = i;
        break;
      }
    }
    return b;
  }

  private static Batch take(Future<Batch> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformError("interrupted while reading the channel's files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new PlatformError("reading the channel's files failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  /** Files {@code [from, to)}: read ones, then (when a batch stopped early) ones left for the caller. */
  private final class Batch {
    final int from;
    final int to;
    final ChannelFiles.Whole[] read;
    RuntimeException failure;
    int failedAt = -1;

    Batch(int from, int to) {
      this.from = from;
      this.to = to;
      this.read = new ChannelFiles.Whole[to - from];
    }

    ChannelFiles.Whole get(int index) {
      if (index == failedAt) {
        throw failure;
      }
      ChannelFiles.Whole w = read[index - from];
      read[index - from] = null;
      return w != null ? w : FilePrefetch.this.read(files.get(index));
    }
  }
}
