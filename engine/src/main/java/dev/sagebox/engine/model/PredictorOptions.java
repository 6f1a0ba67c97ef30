package dev.sagebox.engine.model;

import java.util.List;

/**
 * Serving choices made outside the model: the outputs a caller selected (SageMaker's
 * {@code SAGEMAKER_INFERENCE_OUTPUT}; empty means the algorithm's default) and threads per prediction.
 */
public record PredictorOptions(List<String> selectedOutputs, int threadsPerPrediction) {
  public PredictorOptions {
    selectedOutputs = List.copyOf(selectedOutputs);
  }

  public static PredictorOptions defaults() {
    return new PredictorOptions(List.of(), 1);
  }
}
