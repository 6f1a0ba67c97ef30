package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's first use loads and initialises its native backend, about a second on two cores; this starts it on a
 * background thread (while the channels are parsed) and {@link #await()} waits for it where the trainer first needs
 * ND4J, rethrowing what went wrong there, so a missing native library still fails on the training thread.
 */
final class Nd4jWarmUp {
  private final Thread thread;
  private volatile Throwable failure;

  private Nd4jWarmUp() {
    thread = new Thread(() -> {
      try {
        Nd4j.scalar(DataType.FLOAT, 0f);
      } catch (Throwable e) {
        failure = e;
      }
    }, "nd4j-warm-up");
    thread.setDaemon(true);
  }

  static Nd4jWarmUp start() {
    Nd4jWarmUp w = new Nd4jWarmUp();
    w.thread.start();
    return w;
  }

  void await() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Throwable e = failure;
    if (e instanceof Error err) {
      throw err;
    }
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e != null) {
      throw new IllegalStateException("ND4J failed to start", e);
    }
  }
}
