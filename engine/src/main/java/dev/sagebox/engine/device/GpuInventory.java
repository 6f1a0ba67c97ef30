package dev.sagebox.engine.device;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link DeviceProbe} found: the NVIDIA driver (its version, and the newest CUDA version it runs, as
 * {@code cuDriverGetVersion} gives it, such as 13000 for 13.0), the CUDA devices, and when there are none, why.
 *
 * @param driver the kernel driver's version, such as {@code 580.95.05}, when one is visible
 * @param cudaDriverApi {@code cuDriverGetVersion}'s number, 0 when libcuda was not reached
 * @param problem why no device is usable, empty when {@code devices} is not empty
 */
public record GpuInventory(Optional<String> driver, int cudaDriverApi, List<CudaDevice> devices, String problem) {

  public GpuInventory {
    devices = List.copyOf(devices);
  }

  /** No device, and why. */
  public static GpuInventory none(Optional<String> driver, String problem) {
    return new GpuInventory(driver, 0, List.of(), problem);
  }

  /** The driver's CUDA version in words, such as {@code 13.0}. */
  public String cudaVersion() {
    return cudaDriverApi / 1000 + "." + cudaDriverApi % 1000 / 10;
  }

  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("NVIDIA driver ").append(driver.orElse("not found"));
    if (cudaDriverApi > 0) {
      b.append(" (CUDA ").append(cudaVersion()).append(')');
    }
    if (devices.isEmpty()) {
      b.append("; no CUDA device: ").append(problem);
    } else {
      b.append("; ").append(devices.size()).append(devices.size() == 1 ? " CUDA device: " : " CUDA devices: ");
      for (int i = 0; i < devices.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(devices.get(i).describe());
      }
    }
    return b.toString();
  }
}
