package dev.sagebox.engine.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the NVIDIA driver's {@code libcuda.so.1} (the one library nvidia-container-toolkit mounts into a container)
 * for its CUDA devices, through Java 17's foreign linker: the same answer XGBoost and ND4J get, without loading
 * either of them. Only a CUDA build calls this. Nothing here may refer to {@code jdk.incubator.foreign} types: a JVM
 * started without that module gets an inventory that says so ({@link CudaDriverCalls} holds the calls).
 */
public final class CudaDriverProbe implements DeviceProbe {
  /** The driver API library's soname. */
  public static final String LIBCUDA = "libcuda.so.1";
  /** Where the NVIDIA kernel module says its version (a plain file; reading it loads nothing). */
  public static final Path PROC_VERSION = Path.of("/proc/driver/nvidia/version");
  private static final Pattern VERSION = Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?(\\d+\\.\\d+(?:\\.\\d+)?)");

  private final String library;
  private final Path procVersion;

  public CudaDriverProbe() {
    this(LIBCUDA, PROC_VERSION);
  }

  /** @param library a soname (looked up as the dynamic linker does) or an absolute path */
  public CudaDriverProbe(String library, Path procVersion) {
    this.library = library;
    this.procVersion = procVersion;
  }

  @Override
  public GpuInventory probe() {
    Optional<String> driver = kernelDriver(procVersion);
    if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
      return GpuInventory.none(driver, "the JVM runs without --add-modules jdk.incubator.foreign, so "
          + library + " cannot be asked");
    }
    try {
      return CudaDriverCalls.query(library, driver);
    } catch (IllegalCallerException e) {
      return GpuInventory.none(driver, "the JVM runs without --enable-native-access=ALL-UNNAMED");
    } catch (RuntimeException | LinkageError e) {
      return GpuInventory.none(driver, "asking " + library + " failed: " + e);
    }
  }

  /** The NVIDIA kernel driver's version from {@code /proc/driver/nvidia/version}, when the file is there. */
  public static Optional<String> kernelDriver(Path procVersion) {
    try {
      if (!Files.isReadable(procVersion)) {
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(Files.readString(procVersion));
      return m.find() ? Optional.of(m.group(1)) : Optional.of("(version unreadable)");
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
