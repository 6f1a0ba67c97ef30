package dev.sagebox.engine.onnx;

import static dev.sagebox.engine.onnx.OnnxTestModels.assertClose;
import static dev.sagebox.engine.onnx.OnnxTestModels.model;
import static dev.sagebox.engine.onnx.OnnxTestModels.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's answers for the committed test models against the PyTorch outputs recorded with them. */
class ByoOnnxModelTest {

  private static ByoOnnxModel open(String name) {
    return ByoOnnxModel.open(model(name), 1, line -> { });
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn", "rgb_cnn", "fixed_batch", "two_inputs", "doubles"})
  void everyOutputMatchesPyTorchTo1e5(String name) {
    try (ByoOnnxModel m = open(name)) {
      Map<String, Tensor> inputs = new LinkedHashMap<>(recorded(name, "inputs"));
      Map<String, Tensor.Doubles> expected = recorded(name, "outputs");
      List<String> wanted = new ArrayList<>(expected.keySet());
      Map<String, Tensor> actual = m.run(inputs, wanted);
      assertThat(actual.keySet()).containsExactlyElementsOf(wanted);
      for (String out : wanted) {
        assertClose(actual.get(out), expected.get(out), 1e-5);
      }
    }
  }

  @Test
  void metadataGivesNamesTypesAndDynamicAxes() {
    try (ByoOnnxModel m = open("two_inputs")) {
      assertThat(m.inputs()).extracting(TensorSpec::name).containsExactly("a", "b");
      assertThat(m.inputs().get(1).type()).isEqualTo(ElementType.INT64);
      assertThat(m.inputs().get(0).describe()).isEqualTo("[batch,3]");
      assertThat(m.outputs()).extracting(TensorSpec::name).containsExactly("total", "doubled");
    }
    try (ByoOnnxModel m = open("cnn")) {
      assertThat(m.inputs().get(0).isImage()).isTrue();
      assertThat(m.inputs().get(0).isRows()).isFalse();
    }
  }

  @Test
  void aFixedBatchOfOneModelRunsRowByRow() {
    try (ByoOnnxModel m = open("fixed_batch")) {
      assertThat(m.inputs().get(0).batchOfOne()).isTrue();
      Tensor y = m.run(Map.of("x", recorded("fixed_batch", "inputs").get("x")), List.of("y")).get("y");
      assertThat(y.shape()).containsExactly(3, 2);
      assertClose(y, recorded("fixed_batch", "outputs").get("y"), 1e-5);
    }
  }

  @Test
  void floatsAreConvertedToInt64AndDoubleInputs() {
    try (ByoOnnxModel m = open("two_inputs")) {
      Map<String, Tensor> in = Map.of(
          "a", new Tensor.Floats(new long[] {1, 3}, new float[] {1, 2, 3}),
          "b", new Tensor.Floats(new long[] {1, 2}, new float[] {4, -1}));
      Tensor total = m.run(in, List.of("total")).get("total");
      assertThat(total.valueAt(0)).isEqualTo(9.0);
    }
    try (ByoOnnxModel m = open("doubles")) {
      Tensor y = m.run(Map.of("x", new Tensor.Floats(new long[] {1, 2}, new float[] {1, 2})), List.of("y"))
          .get("y");
      assertThat(y.type()).isEqualTo(ElementType.FLOAT64);
      assertThat(y.valueAt(1)).isEqualTo(6.5);
    }
  }

  @Test
  void aFractionForAnInt64InputIsRefusedNamingTheInput() {
    try (ByoOnnxModel m = open("two_inputs")) {
      Map<String, Tensor> in = Map.of(
          "a", new Tensor.Floats(new long[] {1, 3}, new float[] {1, 2, 3}),
          "b", new Tensor.Floats(new long[] {1, 2}, new float[] {4, 1.5f}));
      assertThatThrownBy(() -> m.run(in, List.of("total"))).isInstanceOf(UserError.class)
          .hasMessageContaining("input 'b' is int64").hasMessageContaining("1.5");
    }
  }

  @Test
  void aWrongShapeNamesTheInputTheExpectedAndTheReceivedShape() {
    try (ByoOnnxModel m = open("mlp")) {
      assertThatThrownBy(() -> m.run(Map.of("features", new Tensor.Floats(new long[] {2, 3}, new float[6])),
          List.of("scores"))).isInstanceOf(UserError.class)
          .hasMessage("input 'features' expects shape [batch,4] (float32); received [2,3]");
      assertThatThrownBy(() -> m.run(Map.of("features", new Tensor.Floats(new long[] {4}, new float[4])),
          List.of("scores"))).hasMessageContaining("received [4]");
    }
  }

  @Test
  void missingUnknownInputsAndUnknownOutputsAreRefused() {
    try (ByoOnnxModel m = open("two_inputs")) {
      Tensor a = new Tensor.Floats(new long[] {1, 3}, new float[3]);
      Tensor b = new Tensor.Floats(new long[] {1, 2}, new float[2]);
      assertThatThrownBy(() -> m.run(Map.of("a", a), List.of("total"))).hasMessageContaining("input 'b' is missing");
      assertThatThrownBy(() -> m.run(Map.of("a", a, "b", b, "c", b), List.of("total")))
          .hasMessageContaining("no input 'c'");
      assertThatThrownBy(() -> m.run(Map.of("a", a, "b", b), List.of("nope")))
          .hasMessageContaining("no output 'nope'").hasMessageContaining("total");
    }
  }

  @Test
  void inputsSharingTheBatchAxisMustAgreeOnIt() {
    try (ByoOnnxModel m = open("two_inputs")) {
      Map<String, Tensor> in = Map.of(
          "a", new Tensor.Floats(new long[] {2, 3}, new float[6]),
          "b", new Tensor.Floats(new long[] {1, 2}, new float[2]));
      assertThatThrownBy(() -> m.run(in, List.of("total"))).isInstanceOf(UserError.class)
          .hasMessageContaining("along axis 'batch'");
    }
  }

  @Test
  void aFileOnnxRuntimeCannotReadIsAUserError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("model.onnx"), "not a model");
    assertThatThrownBy(() -> ByoOnnxModel.open(bad, 1, line -> { })).isInstanceOf(UserError.class)
        .hasMessageContaining("not a model ONNX Runtime can load");
  }
}
