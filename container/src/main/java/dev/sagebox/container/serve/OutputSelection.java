package dev.sagebox.container.serve;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.onnx.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which outputs of a bring-your-own ONNX model a request gets. The header {@value #HEADER} (SageMaker passes it
 * through to the container unchanged) may hold {@code outputs=all} or {@code outputs=name1+name2} among other
 * comma-separated attributes; without it, SAGEMAKER_INFERENCE_OUTPUT decides, and without that the first output is
 * answered, unnamed ({@code {"predictions": ...}}).
 *
 * @param names the outputs to run, in order
 * @param byName whether the response names them ({@code {"outputs": {...}}})
 */
record OutputSelection(List<String> names, boolean byName) {
  static final String HEADER = "X-Amzn-SageMaker-Custom-Attributes";

  static OutputSelection of(String header, ServedModel.Tensors served) {
    List<TensorSpec> outputs = served.model().outputs();
    String asked = header == null ? null : outputsAttribute(header);
    if (asked != null) {
      List<String> names = Arrays.stream(asked.split("\\+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      if (names.isEmpty()) {
        throw new UserError(HEADER + " has an empty outputs= attribute; send outputs=all or outputs=name1+name2");
      }
      return new OutputSelection(ModelLoader.selectedOutputs(outputs, names, HEADER), true);
    }
    if (!served.selectedOutputs().isEmpty()) {
      return new OutputSelection(served.selectedOutputs(), true);
    }
    return new OutputSelection(List.of(outputs.get(0).name()), false);
  }

  /** The value of the {@code outputs} attribute, or null. */
  private static String outputsAttribute(String header) {
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("outputs")) {
        return part.substring(eq + 1).strip();
      }
    }
    return null;
  }
}
