package dev.sagebox.engine.model;

import java.util.List;

/**
 * Serving choices made outside the model: the outputs a caller selected (SageMaker's
 * {@code SAGEMAKER_INFERENCE_OUTPUT}; empty means the algorithm's default), threads per prediction, and whether a
 * folder of several model files is served as an ensemble (SageMaker's {@code SAGEMAKER_INFERENCE_ENSEMBLE}, default
 * on) or by its first file only.
 */
public record PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction, boolean ensemble) {
  public PredictorOptions {
    selectedOutputs = List.copyOf(selectedOutputs);
  }

  public PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction) {
    this(selectedOutputs, threadsPerPrediction, true);
  }

  public static PredictorOptions defaults() {
    return new PredictorOptions(List.of(), 1);
  }
}
