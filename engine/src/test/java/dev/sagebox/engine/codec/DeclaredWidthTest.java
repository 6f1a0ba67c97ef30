package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A model may declare a huge input width (a crafted manifest or ONNX input of 2,000,000,000 features): a 9-byte
 * request must cost bytes, not the gigabytes its width would take (it took 8 GB and ended a 1 GB server).
 */
class DeclaredWidthTest {
  @Test
  void aTinyJsonBodyIsRefusedWithoutAllocatingTheDeclaredWidth() {
    byte[] body = "[[1,2,3]]".getBytes(StandardCharsets.US_ASCII);
    InputShape huge = InputShape.strict(2_000_000_000);
    assertThatThrownBy(() -> new JsonDecoder().decode(body, MediaType.JSON, huge))
        .isInstanceOf(DataFormatError.class).hasMessageContaining("the model expects 2000000000");
    assertThatThrownBy(() -> new JsonLinesDecoder().decode("[1,2,3]\n".getBytes(StandardCharsets.US_ASCII),
        MediaType.JSON_LINES, huge)).isInstanceOf(DataFormatError.class)
        .hasMessageContaining("the model expects 2000000000");
  }
}
