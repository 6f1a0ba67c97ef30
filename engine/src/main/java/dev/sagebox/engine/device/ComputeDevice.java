package dev.sagebox.engine.device;

import dev.sagebox.engine.params.ParamSpec;
import dev.sagebox.engine.params.ParamType;
import java.util.Locale;

/**
 * Where a job asks to run: the CPU, or one CUDA device by its ordinal. Spelled as XGBoost spells its {@code device}
 * parameter: {@code cpu}, {@code cuda}, {@code cuda:N}, and the aliases {@code gpu}, {@code gpu:N}.
 */
public record ComputeDevice(boolean cuda, int ordinal) {
  public static final ComputeDevice CPU = new ComputeDevice(false, 0);
  /** What {@link #parse} accepts, in words. */
  public static final String ACCEPTED = "cpu, cuda, cuda:N (N >= 0, the CUDA device's ordinal), gpu or gpu:N";

  /** The {@code device} hyperparameter's type; its value is the canonical spelling ({@code cpu}, {@code cuda:0}). */
  public static final ParamType<String> PARAM_TYPE = new ParamType<>() {
    @Override
    public String parse(String raw) {
      return ComputeDevice.parse(raw).toString();
    }

    @Override
    public String describe() {
      return "one of " + ACCEPTED;
    }
  };

  /**
   * The {@code device} hyperparameter, defaulting to {@code cpu}; {@link DeviceRequest} reads it and
   * {@link DeviceCheck} refuses what cannot run before training starts.
   */
  public static ParamSpec<String> param(ParamSpec.Use use) {
    return ParamSpec.of(DeviceRequest.DEVICE, PARAM_TYPE, "cpu", use);
  }

  public ComputeDevice {
    if (!cuda && ordinal != 0 || ordinal < 0) {
      throw new IllegalArgumentException("invalid device: cuda=" + cuda + ", ordinal=" + ordinal);
    }
  }

  public static ComputeDevice cuda(int ordinal) {
    return new ComputeDevice(true, ordinal);
  }

  /** Parses a device name; {@link IllegalArgumentException} says what is accepted. */
  public static ComputeDevice parse(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("cuda") || s.equals("gpu")) {
      return cuda(0);
    }
    int colon = s.indexOf(':');
    if (colon > 0 && (s.startsWith("cuda:") || s.startsWith("gpu:"))) {
      String n = s.substring(colon + 1);
      if (!n.isEmpty() && n.length() <= 4 && n.chars().allMatch(Character::isDigit)) {
        return cuda(Integer.parseInt(n));
      }
    }
    throw new IllegalArgumentException("'" + raw + "' is not a device; accepted: " + ACCEPTED);
  }

  @Override
  public String toString() {
    return cuda ? "cuda:" + ordinal : "cpu";
  }
}
