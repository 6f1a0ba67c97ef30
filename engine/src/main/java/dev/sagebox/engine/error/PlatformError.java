package dev.sagebox.engine.error;

/** The machine failed us: I/O, a missing native library, memory. */
public final class PlatformError extends EngineException {

  public PlatformError(String message, Throwable cause) {
    super(message, cause);
  }
}
