package dev.sagebox.container.mme;

import java.nio.file.Path;

/**
 * One model in the registry: what it was loaded from, what it is estimated to cost, and who is using it. It is
 * closed once it has been retired (unloaded or evicted) and the last request using it has let go, never before.
 */
public final class LoadedModel<M extends AutoCloseable> {
  private final ModelName name;
  private final String url;
  private final Path folder;
  private final M model;
  private final long bytes;
  private final long loadNanos;
  private int users;
  private boolean retired;
  private boolean closed;
  private volatile long lastUsed;

  LoadedModel(ModelName name, String url, Path folder, M model, long bytes, long loadNanos, long now) {
    this.name = name;
    this.url = url;
    this.folder = folder;
    this.model = model;
    this.bytes = bytes;
    this.loadNanos = loadNanos;
    this.lastUsed = now;
  }

  public ModelName name() {
    return name;
  }

  /** The url as the platform sent it. */
  public String url() {
    return url;
  }

  public Path folder() {
    return folder;
  }

  /** Estimated memory held (heap and native), bytes. */
  public long bytes() {
    return bytes;
  }

  public long loadNanos() {
    return loadNanos;
  }

  long lastUsed() {
    return lastUsed;
  }

  /** Takes a use; false once the model is retired. */
  synchronized boolean enter(long now) {
    if (retired) {
      return false;
    }
    users++;
    lastUsed = now;
    return true;
  }

  /** The model itself; only between {@link #enter} and {@link #leave}. */
  M model() {
    return model;
  }

  void leave() {
    boolean close;
    synchronized (this) {
      users--;
      close = retired && users == 0 && !closed;
      closed |= close;
    }
    if (close) {
      closeQuietly();
    }
  }

  /** No new uses; closes now if nobody is using it, else when the last user leaves. */
  void retire() {
    boolean close;
    synchronized (this) {
      retired = true;
      close = users == 0 && !closed;
      closed |= close;
    }
    if (close) {
      closeQuietly();
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void closeQuietly() {
    try {
      model.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger("sagebox.mme").warn("closing model {} failed: {}", name, e.getMessage());
    }
  }
}
