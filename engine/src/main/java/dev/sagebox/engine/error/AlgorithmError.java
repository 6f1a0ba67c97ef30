package dev.sagebox.engine.error;

/** A failure inside an algorithm (training or prediction) that is not the caller's fault. */
public final class AlgorithmError extends EngineException {

  public AlgorithmError(String message, Throwable cause) {
    super(message, cause);
  }
}
