package dev.sagebox.engine.error;

/**
 * Root of every failure the engine reports on purpose. The three branches follow SageMaker's own taxonomy: a
 * {@link UserError} is bad input or configuration that the caller can fix, an {@link AlgorithmError} is a failure
 * inside training or prediction, a {@link PlatformError} is the machine (disk, memory, native library).
 */
public abstract sealed class EngineException extends RuntimeException
    permits UserError, AlgorithmError, PlatformError {

  protected EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
