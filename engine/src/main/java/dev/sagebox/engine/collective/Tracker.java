package dev.sagebox.engine.collective;

import dev.sagebox.engine.error.PlatformError;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's tracker, run by the leader: it tells the workers of one job about each other, then stays out of the way.
 * Closing stops it.
 */
public final class Tracker implements AutoCloseable {
  private final RabitTracker tracker;
  private final int port;

  private Tracker(RabitTracker tracker, int port) {
    this.tracker = tracker;
    this.port = port;
  }

  /**
   * Starts a tracker for {@code workers} workers listening on {@code bindAddress:port}.
   *
   * @param timeoutSeconds how long the tracker waits for the workers (the caller's own deadline comes first)
   */
  public static Tracker start(int workers, String bindAddress, int port, int timeoutSeconds) {
    try {
      RabitTracker t = new RabitTracker(workers, bindAddress, port, timeoutSeconds);
      if (!t.start()) {
        throw new PlatformError("XGBoost's tracker did not start on " + bindAddress + ":" + port, null);
      }
      return new Tracker(t, port);
    } catch (XGBoostError e) {
      throw new PlatformError("XGBoost's tracker cannot listen on " + bindAddress + ":" + port + " ("
          + XGBoostCollective.firstLine(e.getMessage()) + "); is the port taken? SAGEBOX_TRACKER_PORT moves it", e);
    }
  }

  public int port() {
    return port;
  }

  /** Waits up to {@code millis} for the workers to leave, then stops the tracker. */
  public void finish(long millis) {
    try {
      tracker.waitFor(millis);
    } catch (XGBoostError e) {
      // The job's outcome is already decided by the workers.
    }
    close();
  }

  @Override
  public void close() {
    try {
      tracker.stop();
    } catch (XGBoostError e) {
      // Stopping a tracker whose workers are gone.
    }
  }
}
