package dev.sagebox.engine.error;

/** A hyperparameter that is missing, unknown, unparsable or out of range; names the key, the value and the rule. */
public final class HyperparameterError extends UserError {
  private final String name;

  public HyperparameterError(String name, String message) {
    super("hyperparameter '" + name + "': " + message);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
