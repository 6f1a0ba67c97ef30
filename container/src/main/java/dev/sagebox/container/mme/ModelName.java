package dev.sagebox.container.mme;

import dev.sagebox.engine.error.UserError;

/**
 * The platform's opaque key for a model: printable ASCII of 1-1,024 characters, no slash or backslash (it becomes a
 * path segment of {@code /models/{name}}), not {@code .} or {@code ..}.
 */
public record ModelName(String value) implements Comparable<ModelName> {
  public static final int MAX_LENGTH = 1024;

  public ModelName {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new UserError("model_name must have 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '/' || c == '\\') {
        throw new UserError("model_name has character " + (c < 0x21 || c > 0x7e ? "U+" + String.format("%04X",
            (int) c) : "'" + c + "'") + " at position " + (i + 1) + "; accepted: printable ASCII without spaces, "
            + "'/' or '\\'");
      }
    }
    if (value.equals(".") || value.equals("..")) {
      throw new UserError("model_name cannot be '" + value + "'");
    }
  }

  @Override
  public int compareTo(ModelName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
