package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test models made by {@code src/test/resources/onnx/make_test_models.py}: each {@code NAME.onnx} with
 * {@code NAME.json}, the inputs it was run on in PyTorch and the outputs PyTorch gave.
 */
public final class OnnxTestModels {
  private OnnxTestModels() {}

  public static Path folder() {
    try {
      return Path.of(OnnxTestModels.class.getResource("/onnx/mlp.onnx").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path model(String name) {
    return folder().resolve(name + ".onnx");
  }

  /** The recorded inputs ({@code "inputs"}) or PyTorch outputs ({@code "outputs"}) of a model, as doubles. */
  public static Map<String, Tensor.Doubles> recorded(String name, String part) {
    try {
      JsonNode root = new ObjectMapper().readTree(folder().resolve(name + ".json").toFile()).get(part);
      Map<String, Tensor.Doubles> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = e.getValue(); n.isArray(); n = n.get(0)) {
          shape.add((long) n.size());
        }
        List<Double> values = new ArrayList<>();
        flatten(e.getValue(), values);
        out.put(e.getKey(), new Tensor.Doubles(shape.stream().mapToLong(Long::longValue).toArray(),
            values.stream().mapToDouble(Double::doubleValue).toArray()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flatten(JsonNode n, List<Double> into) {
    if (n.isArray()) {
      n.forEach(c -> flatten(c, into));
    } else {
      into.add(n.asDouble());
    }
  }

  /** Every value of {@code actual} within {@code tolerance} of {@code expected}, shapes equal. */
  public static void assertClose(Tensor actual, Tensor expected, double tolerance) {
    assertThat(actual.shape()).containsExactly(expected.shape());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.valueAt(i)).as("value %d", i).isCloseTo(expected.valueAt(i),
          org.assertj.core.data.Offset.offset(tolerance));
    }
  }
}
