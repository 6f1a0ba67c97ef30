package dev.sagebox.engine.data.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/** Cuts a file into {@link RowGroupTask}s and runs them on a few threads, each with a reader of its own. */
final class RowGroupTasks {
  private RowGroupTasks() {}

  /**
   * One task per row group; with fewer row groups than about twice the threads, each row group's columns are cut
   * into slices so that every thread has work.
   */
  static List<RowGroupTask> plan(List<BlockMetaData> groups, List<ColumnPlan> columns, int workers) {
    int slices = 1;
    if (workers > 1 && !groups.isEmpty()) {
      slices = Math.min(columns.size(), Math.max(1, (2 * workers + groups.size() - 1) / groups.size()));
    }
    List<RowGroupTask> tasks = new ArrayList<>();
    int firstRow = 0;
    for (int g = 0; g < groups.size(); g++) {
      int rows = (int) groups.get(g).getRowCount();
      for (int s = 0; s < slices && rows > 0; s++) {
        List<ColumnPlan> slice = columns.subList(s * columns.size() / slices, (s + 1) * columns.size() / slices);
        tasks.add(new RowGroupTask(g, firstRow, rows, slice));
      }
      firstRow += rows;
    }
    return tasks;
  }

  /** Runs the tasks on {@code workers} threads (the caller's among them), each with its own open reader. */
  static void run(Path file, ParquetMetadata footer, List<RowGroupTask> tasks, RowGroupTask.Output out,
      int workers) throws IOException {
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      try (ParquetFileReader reader = ParquetFiles.open(file, footer)) {
        for (int t = next.getAndIncrement(); t < tasks.size(); t = next.getAndIncrement()) {
          tasks.get(t).read(reader, out);
        }
      } catch (IOException e) {
        next.set(tasks.size());
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        next.set(tasks.size());
        throw e;
      }
    };
    List<CompletableFuture<Void>> others = new ArrayList<>();
    for (int i = 1; i < workers; i++) {
      others.add(CompletableFuture.runAsync(worker));
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (CompletableFuture<Void> f : others) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (failure instanceof UncheckedIOException u) {
      throw u.getCause();
    } else if (failure != null) {
      throw failure;
    }
  }

}
