package dev.sagebox.container.serve;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Limits that keep slow or stalled clients from holding the server: request bodies must arrive at a minimum rate
 * (408 otherwise), idle connections close, and the request thread pool is large enough that thousands of slow
 * uploads being refused still leave threads for {@code /ping}.
 */
final class SlowClientGuard {
  /** Bytes per second a request body must keep up on average (a 6 MB body may take an hour at this rate). */
  static final long MIN_REQUEST_DATA_RATE = 2_048;
  /** A connection with nothing to read or write for this long is closed. */
  static final long IDLE_TIMEOUT_MS = 20_000;
  static final int MAX_THREADS = 2_600;

  private SlowClientGuard() {}

  static void configure(HttpConfiguration http) {
    http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    http.setIdleTimeout(IDLE_TIMEOUT_MS);
  }

  static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8, 30_000);
    pool.setName("http");
    pool.setDetailedDump(false);
    return pool;
  }
}
