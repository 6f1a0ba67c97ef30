package dev.sagebox.engine.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** Rows {@code [0, n)} cut into equal shares, one per thread: the first on the calling thread, the rest on a pool. */
final class PoolShares {
  private PoolShares() {}

  /** One share of the rows. */
  interface Share {
    void run(int share, int from, int to);
  }

  /** How many shares {@code n} rows get: one below {@code parallelRows} rows or without a pool, else one per thread. */
  static int count(int n, int parallelRows, ForkJoinPool pool) {
    return n < parallelRows || pool == null ? 1 : Math.max(1, pool.getParallelism());
  }

  /** Runs {@code body} on each of {@code shares} shares of {@code [0, n)} and waits for all of them. */
  static void run(ForkJoinPool pool, int shares, int n, Share body) {
    if (shares == 1) {
      body.run(0, 0, n);
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(shares - 1);
    for (int c = 1; c < shares; c++) {
      int share = c;
      int from = (int) ((long) n * c / shares);
      int to = (int) ((long) n * (c + 1) / shares);
      tasks.add(pool.submit(() -> body.run(share, from, to)));
    }
    body.run(0, 0, (int) ((long) n / shares));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }
}
