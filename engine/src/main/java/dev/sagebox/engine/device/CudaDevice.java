package dev.sagebox.engine.device;

import java.util.Locale;

/** One CUDA device as the driver describes it. */
public record CudaDevice(int ordinal, String name, int major, int minor, long memoryBytes) {

  /** Compute capability as NVIDIA writes it, such as {@code 9.0}. */
  public String computeCapability() {
    return major + "." + minor;
  }

  /** True when this device's compute capability is at least {@code major.minor}. */
  public boolean atLeast(int major, int minor) {
    return this.major > major || this.major == major && this.minor >= minor;
  }

  public String describe() {
    return String.format(Locale.ROOT, "%d %s (compute capability %s, %.0f GiB)", ordinal, name, computeCapability(),
        memoryBytes / (double) (1L << 30));
  }
}
