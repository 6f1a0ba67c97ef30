package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.codec.NpyReader;
import dev.sagebox.engine.error.NotAcceptableError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorResponseEncoderTest {
  private static final Tensor SCORES = new Tensor.Floats(new long[] {2, 3}, new float[] {1, 0.5f, Float.NaN, -2, 3,
      1e-7f});
  private static final Tensor LABELS = new Tensor.Longs(new long[] {2}, new long[] {7, -1});

  private static String text(String essence, Map<String, Tensor> outputs, boolean byName) {
    return new String(TensorResponseEncoder.encode(essence, outputs, byName), StandardCharsets.UTF_8);
  }

  @Test
  void jsonNestsTheFirstOutputOrNamesTheSelectedOnes() {
    assertThat(text("application/json", Map.of("scores", SCORES), false))
        .isEqualTo("{\"predictions\":[[1.0,0.5,null],[-2.0,3.0,1.0E-7]]}\n");
    Map<String, Tensor> both = new LinkedHashMap<>();
    both.put("scores", SCORES);
    both.put("label\"s", LABELS);
    assertThat(text("application/json", both, true))
        .isEqualTo("{\"outputs\":{\"scores\":[[1.0,0.5,null],[-2.0,3.0,1.0E-7]],\"label\\\"s\":[7,-1]}}\n");
  }

  @Test
  void csvIsOneLinePerRow() {
    assertThat(text("text/csv", Map.of("scores", SCORES), false)).isEqualTo("1.0,0.5,nan\n-2.0,3.0,1.0E-7\n");
    assertThat(text("text/csv", Map.of("labels", LABELS), true)).isEqualTo("7\n-1\n");
  }

  @Test
  void npyKeepsTheOutputsType() {
    Tensor back = new NpyReader("response").read(TensorResponseEncoder.encode("application/x-npy",
        Map.of("labels", LABELS), false));
    assertThat(back).isInstanceOf(Tensor.Longs.class);
    assertThat(((Tensor.Longs) back).values()).containsExactly(7, -1);
  }

  @Test
  void csvAndNpyCarryOneOutputOnly() {
    Map<String, Tensor> both = new LinkedHashMap<>();
    both.put("scores", SCORES);
    both.put("labels", LABELS);
    assertThatThrownBy(() -> TensorResponseEncoder.encode("text/csv", both, true))
        .isInstanceOf(NotAcceptableError.class).hasMessageContaining("carries one output");
  }
}
