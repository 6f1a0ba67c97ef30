package dev.sagebox.engine.onnx;

import java.util.List;
import java.util.Map;

/**
 * A served model that takes and gives named tensors (a bring-your-own ONNX model), as opposed to the table-shaped
 * {@link dev.sagebox.engine.model.Predictor}. Safe to call from many threads at once; owns its native handles until
 * {@link #close()}.
 */
public interface TensorModel extends AutoCloseable {

  /** The inputs, in the model's order. */
  List<TensorSpec> inputs();

  /** The outputs, in the model's order. */
  List<TensorSpec> outputs();

  /** What is served, for the log ("ONNX model.onnx: 1 input, 1 output"). */
  String description();

  /**
   * Runs the model on one tensor per input (converted to the input's type, shape-checked); returns the
   * {@code wanted} outputs by name, in the order asked.
   */
  Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> wanted);

  @Override
  void close();
}
