package dev.sagebox.engine.error;

/** Bad input or configuration: the message says what was wrong, where, and what is accepted. */
public non-sealed class UserError extends EngineException {

  public UserError(String message) {
    super(message, null);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
