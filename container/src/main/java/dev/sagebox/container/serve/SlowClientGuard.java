package dev.sagebox.container.serve;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Limits that keep slow or stalled clients from holding the server: idle connections close, and the request thread
 * pool is large enough that thousands of slow uploads being refused still leave threads for {@code /ping}. The
 * minimum body rate is enforced by {@link RequestBody} from a body's first byte: Jetty's own check counts from the
 * request's start, so under load it refused one-line bodies that had only waited for a thread.
 */
final class SlowClientGuard {
  /** A connection with nothing to read or write for this long is closed. */
  static final long IDLE_TIMEOUT_MS = 20_000;
  static final int MAX_THREADS = 2_600;

  private SlowClientGuard() {}

  static void configure(HttpConfiguration http) {
    http.setMinRequestDataRate(0);
    http.setIdleTimeout(IDLE_TIMEOUT_MS);
  }

  static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8, 30_000);
    pool.setName("http");
    pool.setDetailedDump(false);
    return pool;
  }
}
