package dev.sagebox.engine.error;

import java.util.List;

/** A content type no decoder handles. Names the type received and the accepted ones. */
public final class UnsupportedMediaTypeError extends UserError {
  private final List<String> accepted;

  public UnsupportedMediaTypeError(String received, List<String> accepted) {
    super("unsupported content type '" + received + "'; accepted: " + String.join(", ", accepted));
    this.accepted = List.copyOf(accepted);
  }

  public List<String> accepted() {
    return accepted;
  }
}
