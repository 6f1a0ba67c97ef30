package dev.sagebox.container.serve;

import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.onnx.TensorModel;
import dev.sagebox.engine.onnx.TensorRequestDecoder;
import java.util.List;

/**
 * What the server answers with: a table-shaped {@link Predictor} (Sagebox's own algorithms, XGBoost models) or a
 * {@link TensorModel} (a bring-your-own ONNX model), each served by its own path in {@link InferenceServer}.
 */
public sealed interface ServedModel extends AutoCloseable permits ServedModel.Table, ServedModel.Tensors {

  /** One line for the log once loaded. */
  String summary();

  @Override
  void close();

  record Table(Predictor predictor) implements ServedModel {
    public String summary() {
      return predictor.manifest().algorithm() + ", " + predictor.featureCount() + " features, objective "
          + predictor.manifest().objective();
    }

    public void close() {
      predictor.close();
    }
  }

  /**
   * @param decoder reads requests for this model's inputs
   * @param selectedOutputs outputs named by SAGEMAKER_INFERENCE_OUTPUT (all of them for "all"); empty: the first
   *     output, unnamed
   */
  record Tensors(TensorModel model, TensorRequestDecoder decoder, List<String> selectedOutputs)
      implements ServedModel {
    public Tensors {
      selectedOutputs = List.copyOf(selectedOutputs);
    }

    public String summary() {
      return model.description();
    }

    public void close() {
      model.close();
    }
  }
}
