package dev.sagebox.engine.error;

import java.util.List;

/** An Accept header no encoder can satisfy. Names the header and the producible types. */
public final class NotAcceptableError extends UserError {
  private final List<String> producible;

  public NotAcceptableError(String accept, List<String> producible) {
    super("cannot produce any type in Accept '" + accept + "'; supported: " + String.join(", ", producible));
    this.producible = List.copyOf(producible);
  }

  public List<String> producible() {
    return producible;
  }
}
