package dev.sagebox.engine.device;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.Map;
import java.util.Optional;

/**
 * The device a training job asks for, read from its hyperparameters, and the native library that will run it.
 *
 * @param setting the hyperparameter that asked ({@code device} or {@code tree_method}), or {@code null} when the
 *     device is the build's default
 */
public record DeviceRequest(NativeLibrary library, ComputeDevice device, String setting) {
  public static final String DEVICE = "device";
  public static final String TREE_METHOD = "tree_method";

  /**
   * What {@code algorithm} will run on. XGBoost: {@code device} (XGBoost's own parameter), or
   * {@code tree_method=gpu_hist} (XGBoost 1.x's way of asking for {@code cuda}); the CPU otherwise, as in XGBoost.
   * The linear learner and LeNet run on ND4J, whose backend the build chooses: their {@code device} defaults to it.
   * Empty for algorithms that use no GPU library.
   */
  public static Optional<DeviceRequest> of(String algorithm, Map<String, String> hyperparameters,
      NativeBuilds builds) {
    Optional<ComputeDevice> given = Optional.ofNullable(hyperparameters.get(DEVICE)).map(DeviceRequest::parse);
    switch (algorithm) {
      case "xgboost": {
        boolean gpuHist = "gpu_hist".equals(hyperparameters.get(TREE_METHOD));
        if (gpuHist && given.isPresent() && !given.get().cuda()) {
          throw new HyperparameterError(TREE_METHOD, "'gpu_hist' asks for a CUDA device but device is '"
              + given.get() + "'; use tree_method=hist with device=cpu or device=cuda");
        }
        if (given.isPresent()) {
          return Optional.of(new DeviceRequest(NativeLibrary.XGBOOST, given.get(), DEVICE));
        }
        return Optional.of(gpuHist ? new DeviceRequest(NativeLibrary.XGBOOST, ComputeDevice.cuda(0), TREE_METHOD)
            : new DeviceRequest(NativeLibrary.XGBOOST, ComputeDevice.CPU, null));
      }
      case "linear-learner":
      case "lenet": {
        ComputeDevice fallback = builds.nd4jCuda() ? ComputeDevice.cuda(0) : ComputeDevice.CPU;
        return Optional.of(new DeviceRequest(NativeLibrary.ND4J, given.orElse(fallback),
            given.isPresent() ? DEVICE : null));
      }
      default:
        return Optional.empty();
    }
  }

  private static ComputeDevice parse(String raw) {
    try {
      return ComputeDevice.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new HyperparameterError(DEVICE, e.getMessage());
    }
  }

  /** How the request reads in a message: {@code device=cuda:0}, or the build's default. */
  public String describe() {
    return setting == null ? device + " (" + library.title() + "'s default in this build)"
        : setting.equals(TREE_METHOD) ? "tree_method=gpu_hist (device " + device + ")" : "device=" + device;
  }
}
