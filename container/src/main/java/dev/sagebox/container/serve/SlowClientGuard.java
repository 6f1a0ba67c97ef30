package dev.sagebox.container.serve;

import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Limits that keep slow or stalled clients from holding the server: idle connections close, and the request thread
 * pool is large enough that thousands of slow uploads being refused still leave threads for {@code /ping}. Bodies
 * are read by at most {@link #maxBodyReaders()} requests at once, so that clients that send headers and then stall
 * can never take the threads {@code /ping} and model calls need; one more is answered 503 at once. The minimum body
 * rate is enforced by {@link RequestBody} from a body's first byte: Jetty's own check counts from the request's
 * start, so under load it refused one-line bodies that had only waited for a thread.
 */
final class SlowClientGuard {
  /** A connection with nothing to read or write for this long is closed (a stalled body: 408). */
  static final long IDLE_TIMEOUT_MS = 20_000;
  static final int MAX_THREADS = 2_600;
  /** Threads never taken by body reads: for /ping, model calls and Jetty's own work. */
  static final int RESERVED_THREADS = 200;

  private final long idleTimeoutMs;
  private final int maxBodyReaders;
  private final Semaphore bodyReaders;

  SlowClientGuard(long idleTimeoutMs, int maxBodyReaders) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.maxBodyReaders = maxBodyReaders;
    this.bodyReaders = new Semaphore(maxBodyReaders);
  }

  static SlowClientGuard standard() {
    return new SlowClientGuard(IDLE_TIMEOUT_MS, MAX_THREADS - RESERVED_THREADS);
  }

  void configure(HttpConfiguration http) {
    http.setMinRequestDataRate(0);
    http.setIdleTimeout(idleTimeoutMs);
  }

  static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8, 30_000);
    pool.setName("http");
    pool.setDetailedDump(false);
    return pool;
  }

  long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  int maxBodyReaders() {
    return maxBodyReaders;
  }

  /** Takes a body-reading place; false when all are taken. A true answer must be paired with {@link #leaveBody}. */
  boolean tryEnterBody() {
    return bodyReaders.tryAcquire();
  }

  void leaveBody() {
    bodyReaders.release();
  }
}
