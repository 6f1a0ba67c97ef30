package dev.sagebox.engine.device;

/**
 * Which builds of the three native libraries are on the class path: the Maven profile decides ({@code cpu}, the
 * default, or {@code cuda}). Found from one resource each, without loading any native code.
 */
public record NativeBuilds(boolean xgboostCuda, boolean nd4jCuda, boolean onnxRuntimeCuda) {
  public static final NativeBuilds CPU = new NativeBuilds(false, false, false);
  public static final NativeBuilds CUDA = new NativeBuilds(true, true, true);

  /** Only xgboost4j-spark-gpu's jar has this class (its libxgboost4j.so is built with CUDA). */
  static final String XGBOOST_CUDA = "ml/dmlc/xgboost4j/java/QuantileDMatrix.class";
  /** nd4j-cuda's backend. */
  static final String ND4J_CUDA = "org/nd4j/linalg/jcublas/JCublasBackend.class";
  /** Only onnxruntime_gpu's jar has ONNX Runtime's CUDA execution provider. */
  static final String ONNX_RUNTIME_CUDA = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

  public static NativeBuilds onClassPath(ClassLoader loader) {
    return new NativeBuilds(loader.getResource(XGBOOST_CUDA) != null, loader.getResource(ND4J_CUDA) != null,
        loader.getResource(ONNX_RUNTIME_CUDA) != null);
  }

  public boolean anyCuda() {
    return xgboostCuda || nd4jCuda || onnxRuntimeCuda;
  }

  /** {@code cuda} or {@code cpu}, the name of the build switch that made this class path. */
  public String variant() {
    return anyCuda() ? "cuda" : "cpu";
  }

  boolean cuda(NativeLibrary library) {
    switch (library) {
      case XGBOOST:
        return xgboostCuda;
      case ND4J:
        return nd4jCuda;
      default:
        return onnxRuntimeCuda;
    }
  }
}
