package dev.sagebox.engine.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The start-up lines that say what {@code train} and {@code serve} run on. */
public final class DeviceReport {

  private DeviceReport() {}

  /**
   * For a CPU build: one line, without looking for CUDA (nothing of it is loaded). For a CUDA build: the driver and
   * devices, then which of the three libraries can use which device.
   *
   * @param cudaInventory the probe's answer; asked only for a CUDA build
   * @param visibleDriver the NVIDIA kernel driver's version when one is visible, for the CPU build's hint
   */
  public static List<String> lines(NativeBuilds builds, java.util.function.Supplier<GpuInventory> cudaInventory,
      Optional<String> visibleDriver) {
    if (!builds.anyCuda()) {
      return List.of("compute: cpu build: XGBoost, ND4J (nd4j-native) and ONNX Runtime run on the CPU; CUDA is not"
          + " looked for" + visibleDriver.map(v -> " (NVIDIA driver " + v + " is visible: the cuda build would use"
              + " its GPUs)").orElse(""));
    }
    GpuInventory found = cudaInventory.get();
    List<String> lines = new ArrayList<>();
    lines.add("compute: cuda build; " + found.describe());
    StringBuilder b = new StringBuilder("compute:");
    for (NativeLibrary library : NativeLibrary.values()) {
      b.append(library == NativeLibrary.XGBOOST ? " " : "; ").append(library.title()).append(' ');
      b.append(usable(library, builds, found));
    }
    lines.add(b.toString());
    return lines;
  }

  private static String usable(NativeLibrary library, NativeBuilds builds, GpuInventory found) {
    if (!builds.cuda(library)) {
      return "(CPU build) on the CPU";
    }
    Optional<String> missing = library.missingInImage();
    if (missing.isPresent()) {
      return "on the CPU: " + missing.get();
    }
    List<String> ok = new ArrayList<>();
    String firstReason = null;
    for (CudaDevice d : found.devices()) {
      Optional<String> why = library.whyNot(d, found.cudaDriverApi());
      if (why.isEmpty()) {
        ok.add("cuda:" + d.ordinal());
      } else if (firstReason == null) {
        firstReason = "not cuda:" + d.ordinal() + " (" + why.get() + ")";
      }
    }
    String where = ok.isEmpty() ? "no CUDA device" : "CUDA on " + String.join(", ", ok);
    String usage = library == NativeLibrary.XGBOOST ? " with device=cuda, else the CPU" : "";
    return "(" + library.usedBy() + "): " + where + (ok.isEmpty() ? "" : usage)
        + (firstReason == null ? "" : "; " + firstReason);
  }
}
