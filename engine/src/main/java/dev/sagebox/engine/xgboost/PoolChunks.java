package dev.sagebox.engine.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** A range of rows cut into equal shares, one per thread: the first on the calling thread, the rest on a pool. */
final class PoolChunks {
  private PoolChunks() {}

  /** One share of the rows. */
  interface Chunk {
    void run(int chunk, int from, int to);
  }

  /** How many shares {@code n} rows get: one below {@code parallelRows} or without a pool, else one per thread. */
  static int count(int n, int parallelRows, ForkJoinPool pool) {
    return n < parallelRows || pool == null ? 1 : Math.max(1, pool.getParallelism());
  }

  /** Share {@code c} of {@code chunks} of the rows {@code [from, to)} starts here. */
  static int start(int from, int to, int c, int chunks) {
    return from + (int) ((long) (to - from) * c / chunks);
  }

  /** Runs {@code body} on each of {@code chunks} shares of {@code [from, to)} and waits for all of them. */
  static void run(ForkJoinPool pool, int chunks, int from, int to, Chunk body) {
    if (chunks == 1) {
      body.run(0, from, to);
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int chunk = c;
      int start = start(from, to, c, chunks);
      int end = start(from, to, c + 1, chunks);
      tasks.add(pool.submit(() -> body.run(chunk, start, end)));
    }
    body.run(0, from, start(from, to, 1, chunks));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }
}
