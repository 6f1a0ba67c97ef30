package dev.sagebox.engine.device;

import dev.sagebox.engine.error.HyperparameterError;
import dev.sagebox.engine.error.PlatformError;
import java.util.Optional;

/**
 * Refuses a job whose device cannot run, before it starts: a CUDA device asked of a CPU build, or of a machine
 * where no usable device is found. Without this, XGBoost's CUDA build quietly trains on the CPU when it sees no
 * GPU, and its CPU build ignores {@code device=cuda}.
 */
public final class DeviceCheck {
  private final java.util.concurrent.CompletableFuture<NativeBuilds> builds;
  private final DeviceProbe probe;
  private GpuInventory inventory;

  public DeviceCheck(NativeBuilds builds, DeviceProbe probe) {
    this(java.util.concurrent.CompletableFuture.completedFuture(builds), probe);
  }

  private DeviceCheck(java.util.concurrent.CompletableFuture<NativeBuilds> builds, DeviceProbe probe) {
    this.builds = builds;
    this.probe = probe;
  }

  /**
   * The real thing: the builds on this class path, and libcuda asked only when one of them is a CUDA build. Looking
   * for a resource that is not there opens every jar on the class path (~100; ~40 ms in a fresh JVM), so the builds
   * are found on a thread of their own, started here, while the caller reads its configuration.
   */
  public static DeviceCheck forThisProcess() {
    ClassLoader loader = DeviceCheck.class.getClassLoader();
    java.util.concurrent.Executor daemon = task -> {
      Thread t = new Thread(task, "sagebox-native-builds");
      t.setDaemon(true);
      t.start();
    };
    return new DeviceCheck(java.util.concurrent.CompletableFuture.supplyAsync(() -> NativeBuilds.onClassPath(loader),
        daemon), new CudaDriverProbe());
  }

  /** The builds on the class path (waits for them to be found). */
  public NativeBuilds builds() {
    try {
      return builds.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The start-up lines ({@link DeviceReport}); a CPU build reads only the kernel driver's version file. */
  public java.util.List<String> report() {
    return DeviceReport.lines(builds(), this::inventory, CudaDriverProbe.kernelDriver(CudaDriverProbe.PROC_VERSION));
  }

  /** The probe's answer, asked once. */
  public GpuInventory inventory() {
    if (inventory == null) {
      inventory = probe.probe();
    }
    return inventory;
  }

  /**
   * Returns the device the request runs on, or throws: a {@link HyperparameterError} when the setting cannot be met
   * by this build or names a device that does not exist, a {@link PlatformError} when this machine has no CUDA
   * device that the library can run on.
   */
  public ComputeDevice require(DeviceRequest request) {
    NativeLibrary library = request.library();
    ComputeDevice device = request.device();
    String setting = request.setting() == null ? DeviceRequest.DEVICE : request.setting();
    if (!device.cuda()) {
      if (builds().cuda(library) && library == NativeLibrary.ND4J) {
        throw new HyperparameterError(setting, "'cpu': this is the CUDA build, whose ND4J backend (nd4j-cuda-11.6)"
            + " runs on a CUDA device only; train " + library.usedBy() + " on the CPU with the cpu build (the"
            + " default image), or use device=cuda");
      }
      return device;
    }
    if (!builds().cuda(library)) {
      throw new HyperparameterError(setting, request.describe() + " asks for a CUDA device, but this is the CPU"
          + " build of Sagebox, where " + library.title() + " runs on the CPU only; use the CUDA build (docker build"
          + " --build-arg VARIANT=cuda, or mvn -P cuda) on a machine with an NVIDIA GPU, or device=cpu");
    }
    GpuInventory found = inventory();
    if (found.devices().isEmpty()) {
      throw new PlatformError(request.describe() + " asks for a CUDA device, and none works here: "
          + found.describe() + ". Run the container with --gpus all (nvidia-container-toolkit) on a machine with"
          + " an NVIDIA GPU" + (library == NativeLibrary.ND4J ? ", or the cpu build" : ", or use device=cpu"), null);
    }
    if (device.ordinal() >= found.devices().size()) {
      throw new HyperparameterError(setting, "'" + device + "': this machine has " + found.devices().size()
          + " CUDA device(s), numbered from 0: " + found.describe());
    }
    if (library == NativeLibrary.ND4J && device.ordinal() != 0) {
      throw new HyperparameterError(setting, "'" + device + "': ND4J trains on the first visible device, cuda:0;"
          + " choose which one is visible with docker run --gpus '\"device=N\"' (CUDA_VISIBLE_DEVICES)");
    }
    CudaDevice chosen = found.devices().get(device.ordinal());
    Optional<String> why = library.whyNot(chosen, found.cudaDriverApi());
    if (why.isPresent()) {
      throw new PlatformError(request.describe() + ": " + library.title() + " cannot run on CUDA device "
          + chosen.describe() + ": " + why.get() + (library == NativeLibrary.ND4J
              ? ". Train " + library.usedBy() + " with the cpu build; XGBoost does run on this GPU" : ""), null);
    }
    return device;
  }
}
