package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorJsonReaderTest {
  private static Map<String, Tensor> read(String json) {
    return new TensorJsonReader("request body").read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nestingGivesTheShapeInEveryAcceptedForm() {
    Tensor bare = read("[[[1,2],[3,4]],[[5,6],[7,null]]]").get(TensorJsonReader.UNNAMED);
    assertThat(bare.shape()).containsExactly(2, 2, 2);
    assertThat(bare.valueAt(5)).isEqualTo(6.0);
    assertThat(bare.valueAt(7)).isNaN();
    assertThat(read("{\"instances\": [[1,2,3]]}").get("").shape()).containsExactly(1, 3);
    assertThat(read("{\"inputs\": [1,2]}").get("").shape()).containsExactly(2);
    assertThat(read("[]").get("").shape()).containsExactly(0);
    assertThat(read("[[],[]]").get("").shape()).containsExactly(2, 0);
  }

  @Test
  void namedInputsAreReadOneTensorEach() {
    byte[] body = "{\"signature\": \"x\", \"inputs\": {\"a\": [[1,2,3]], \"b\": [[4,5]], \"c\": 2}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(TensorJsonReader.isNamedInputs(body)).isTrue();
    assertThat(TensorJsonReader.isNamedInputs("{\"inputs\": [[1]]}".getBytes(StandardCharsets.UTF_8))).isFalse();
    Map<String, Tensor> t = new TensorJsonReader("request body").read(body);
    assertThat(t.keySet()).containsExactly("a", "b", "c");
    assertThat(t.get("b").shape()).containsExactly(1, 2);
    assertThat(t.get("c").shape()).isEmpty();
  }

  @Test
  void raggedAndMalformedDocumentsAreLocatedErrors() {
    assertThatThrownBy(() -> read("[[1,2],[3]]")).isInstanceOf(DataFormatError.class).hasMessageContaining("ragged");
    assertThatThrownBy(() -> read("[[1,2],3]")).hasMessageContaining("ragged");
    assertThatThrownBy(() -> read("[1,[2]]")).hasMessageContaining("ragged");
    assertThatThrownBy(() -> read("[[1],[[2]]]")).hasMessageContaining("ragged");
    assertThatThrownBy(() -> read("[\"a\"]")).hasMessageContaining("expected a number");
    assertThatThrownBy(() -> read("{\"x\": 1}")).hasMessageContaining("no tensor found");
    assertThatThrownBy(() -> read("[1,2")).hasMessageContaining("request body");
    assertThatThrownBy(() -> read("{\"inputs\": {\"a\": [1], \"a\": [2]}}")).hasMessageContaining("twice");
    assertThatThrownBy(() -> read("[1] [2]")).hasMessageContaining("after the JSON document");
    assertThatThrownBy(() -> read("[".repeat(100) + "]".repeat(100))).isInstanceOf(DataFormatError.class);
  }
}
