package dev.sagebox.container.mme;

import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Whether the server is a multi-model endpoint, where its models live, and their memory budget. */
public record MultiModelSettings(boolean enabled, Path modelsRoot, long budgetBytes) {

  public static MultiModelSettings fromEnv(Map<String, String> env) {
    boolean enabled = "true".equalsIgnoreCase(env.getOrDefault(SageMakerEnv.MULTI_MODEL, "").strip());
    Path root = Path.of(env.getOrDefault(SageMakerEnv.MODELS_ROOT, "/opt/ml/models"));
    String raw = env.get(SageMakerEnv.MODEL_MEMORY);
    long budget = raw == null || raw.isBlank() ? ModelMemory.defaultBudget() : bytes(raw);
    return new MultiModelSettings(enabled, root, budget);
  }

  /** {@code 123}, {@code 64k}, {@code 512m}, {@code 2g} (binary units). */
  static long bytes(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    try {
      long v = Long.parseLong(digits);
      if (v <= 0 || v > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return v * unit;
    } catch (NumberFormatException e) {
      throw new UserError(SageMakerEnv.MODEL_MEMORY + "='" + raw + "' is invalid; expected a positive size such as "
          + "536870912, 512m or 2g");
    }
  }
}
