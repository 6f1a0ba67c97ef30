package dev.sagebox.container.serve;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs unexpected failures with their stack trace, at most {@code perWindow} of them per window; past that, one line
 * each, so a flood of bad requests cannot fill the disk with traces.
 */
final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private long windowStart = System.nanoTime();
  private int inWindow;
  private long suppressed;

  RateLimitedLog(Logger log, int perWindow, Duration window) {
    this.log = log;
    this.perWindow = perWindow;
    this.windowNanos = window.toNanos();
  }

  void log(Object requestId, Throwable t) {
    boolean full;
    long dropped = 0;
    synchronized (this) {
      long now = System.nanoTime();
      if (now - windowStart > windowNanos) {
        windowStart = now;
        inWindow = 0;
        dropped = suppressed;
        suppressed = 0;
      }
      full = inWindow++ < perWindow;
      if (!full) {
        suppressed++;
      }
    }
    if (dropped > 0) {
      log.warn("{} more internal error trace(s) were not logged in the last window", dropped);
    }
    if (full) {
      log.error("request {} failed", ClientText.printable(String.valueOf(requestId)), t);
    } else {
      log.error("request {} failed: {}", ClientText.printable(String.valueOf(requestId)),
          ClientText.printable(String.valueOf(t)));
    }
  }
}
