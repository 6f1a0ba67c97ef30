package dev.sagebox.engine.model;

/**
 * A native library's first use (extracting it from its jar, loading it, initialising its backend) started on a
 * background thread while the channels are parsed. {@link #await()} waits for it where the trainer first needs the
 * library and rethrows what went wrong there, so a missing or broken library still fails on the training thread,
 * with its own error.
 */
public final class NativeWarmUp {
  private final Thread thread;
  private final String library;
  private volatile Throwable failure;

  private NativeWarmUp(String library, Runnable firstUse) {
    this.library = library;
    thread = new Thread(() -> {
      try {
        firstUse.run();
      } catch (Throwable e) {
        failure = e;
      }
    }, library + "-warm-up");
    thread.setDaemon(true);
  }

  /** Starts {@code firstUse} of {@code library} (a short name, for the thread and errors) in the background. */
  public static NativeWarmUp start(String library, Runnable firstUse) {
    NativeWarmUp w = new NativeWarmUp(library, firstUse);
    w.thread.start();
    return w;
  }

  /** Waits for the first use to end; rethrows its failure, if any. */
  public void await() {
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
      throw new IllegalStateException(library + " failed to start", e);
    }
  }
}
