package dev.sagebox.engine.device;

import java.util.Optional;

/**
 * The three native libraries that can use a GPU, with what their CUDA builds (the {@code cuda} profile's jars) can
 * run on. Measured from the binaries: the CUDA kernels each library carries (SASS per architecture, PTX or not) and
 * the CUDA version it was built with, which sets the oldest driver it runs with.
 */
public enum NativeLibrary {
  /**
   * xgboost4j-spark-gpu 3.4.0's libxgboost4j.so: CUDA 13.3, SASS for sm_75, 80, 90, 100, 110, 120 and PTX for 120;
   * the CUDA runtime and NCCL are linked in, so it needs only the driver's libcuda (CUDA 13: driver 580 or newer).
   */
  XGBOOST("XGBoost", "xgboost", 7, 5, Integer.MAX_VALUE, 13000),
  /**
   * nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda.so: SASS for sm_37 to sm_86 and no PTX, so a device of compute
   * capability 9.0 or newer (Hopper, Blackwell) has no kernel to run ("no kernel image is available").
   */
  ND4J("ND4J", "linear-learner and lenet", 3, 7, 8, 11000),
  /**
   * onnxruntime_gpu 1.28.0's CUDA execution provider: built for CUDA 12 and cuDNN 9, whose libraries (libcudart.so.12,
   * libcublas.so.12, libcudnn.so.9) the image does not ship; serving uses its CPU provider.
   */
  ONNX_RUNTIME("ONNX Runtime", "ONNX serving", 5, 0, Integer.MAX_VALUE, 12000);

  private final String title;
  private final String usedBy;
  private final int minMajor;
  private final int minMinor;
  private final int maxMajor;
  private final int minDriverApi;

  NativeLibrary(String title, String usedBy, int minMajor, int minMinor, int maxMajor, int minDriverApi) {
    this.title = title;
    this.usedBy = usedBy;
    this.minMajor = minMajor;
    this.minMinor = minMinor;
    this.maxMajor = maxMajor;
    this.minDriverApi = minDriverApi;
  }

  public String title() {
    return title;
  }

  /** Which Sagebox algorithms or commands go through it. */
  public String usedBy() {
    return usedBy;
  }

  /** Why this library's CUDA build cannot run on any device in the image, or empty. */
  public Optional<String> missingInImage() {
    return this == ONNX_RUNTIME
        ? Optional.of("its CUDA provider needs CUDA 12 and cuDNN 9 libraries, which the image does not ship")
        : Optional.empty();
  }

  /** Why this library's CUDA build cannot run on {@code device} with this driver, or empty when it can. */
  public Optional<String> whyNot(CudaDevice device, int cudaDriverApi) {
    Optional<String> missing = missingInImage();
    if (missing.isPresent()) {
      return missing;
    }
    if (!device.atLeast(minMajor, minMinor)) {
      return Optional.of("its CUDA kernels start at compute capability " + minMajor + "." + minMinor + "; "
          + device.name() + " is " + device.computeCapability());
    }
    if (device.major() > maxMajor) {
      return Optional.of("its CUDA kernels stop at compute capability " + maxMajor + ".x (sm_86, no PTX to compile"
          + " for newer GPUs); " + device.name() + " is " + device.computeCapability());
    }
    if (cudaDriverApi < minDriverApi) {
      return Optional.of("it needs a driver for CUDA " + minDriverApi / 1000 + " or newer; this driver runs CUDA "
          + cudaDriverApi / 1000 + "." + cudaDriverApi % 1000 / 10);
    }
    return Optional.empty();
  }
}
