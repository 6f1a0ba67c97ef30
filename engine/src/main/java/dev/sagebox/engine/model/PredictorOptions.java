package dev.sagebox.engine.model;

import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Serving choices made outside the model: the outputs a caller selected (SageMaker's
 * {@code SAGEMAKER_INFERENCE_OUTPUT}; empty means the algorithm's default), threads per prediction, whether a
 * folder of several model files is served as an ensemble (SageMaker's {@code SAGEMAKER_INFERENCE_ENSEMBLE}, default
 * on) or by its first file only, and which runtime serves a model that Sagebox also wrote as ONNX.
 */
public record PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction, boolean ensemble,
    ModelRuntime runtime) {

  /**
   * What serves a model folder that holds {@code model.onnx} beside the native model: ONNX Runtime (the default) or
   * the algorithm's own Java/native code. A folder without {@code model.onnx} is always served natively.
   */
  public enum ModelRuntime {
    ONNX, NATIVE;

    /** {@code onnx} or {@code native}, any case; anything else is refused by the caller with the accepted list. */
    public static Optional<ModelRuntime> parse(String text) {
      String t = text.strip().toUpperCase(Locale.ROOT);
      for (ModelRuntime r : values()) {
        if (r.name().equals(t)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PredictorOptions {
    selectedOutputs = List.copyOf(selectedOutputs);
    if (runtime == null) {
      runtime = ModelRuntime.ONNX;
    }
  }

  public PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction, boolean ensemble) {
    this(selectedOutputs, threadsPerPrediction, ensemble, ModelRuntime.ONNX);
  }

  public PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction) {
    this(selectedOutputs, threadsPerPrediction, true);
  }

  public static PredictorOptions defaults() {
    return new PredictorOptions(List.of(), 1);
  }

  /** The same options with {@code runtime}. */
  public PredictorOptions withRuntime(ModelRuntime runtime) {
    return new PredictorOptions(selectedOutputs, threadsPerPrediction, ensemble, runtime);
  }

  /**
   * The ONNX file to serve from {@code modelDir}, if these options want ONNX Runtime and the folder has a
   * {@code model.onnx} that belongs to the model: when the manifest lists file checksums (every Sagebox save does),
   * the ONNX file must be among them, so a file dropped in later is not served in place of the checked model.
   */
  public Optional<Path> onnxModel(Path modelDir, ModelManifest manifest) {
    if (runtime != ModelRuntime.ONNX) {
      return Optional.empty();
    }
    Path file = modelDir.resolve(OnnxModelWriter.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    if (manifest != null && !manifest.files().isEmpty() && !manifest.files().containsKey(OnnxModelWriter.FILE_NAME)) {
      return Optional.empty();
    }
    return Optional.of(file);
  }
}
