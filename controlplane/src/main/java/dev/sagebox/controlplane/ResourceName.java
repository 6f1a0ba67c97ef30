package dev.sagebox.controlplane;

import java.util.regex.Pattern;

/**
 * A job, model, config or endpoint name checked against SageMaker's pattern
 * ({@code ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$}): letters, digits and inner hyphens only, so a name can never leave the
 * folder it names.
 */
public record ResourceName(String value) {
  private static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  /** SageMaker checks the length on its own: the pattern alone allows any number of inner hyphens. */
  static final int MAX_LENGTH = 63;

  public ResourceName {
    if (value != null && value.length() > MAX_LENGTH) {
      throw ApiException.validation("1 validation error detected: Value '" + value.substring(0, 20) + "...' ("
          + value.length() + " characters) failed to satisfy constraint: Member must have length less than or "
          + "equal to " + MAX_LENGTH);
    }
    if (value == null || !PATTERN.matcher(value).matches()) {
      throw ApiException.validation("1 validation error detected: Value '" + value + "' failed to satisfy "
          + "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ "
          + "(1 to 63 letters, digits and inner hyphens)");
    }
  }

  /** The name of {@code member} in a request, validated. */
  public static ResourceName of(com.fasterxml.jackson.databind.JsonNode request, String member) {
    return new ResourceName(Json.requiredText(request, member, ""));
  }

  @Override
  public String toString() {
    return value;
  }
}
