package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request decoding against the model's shape: lenient widths, libsvm numbering, content-type parameters. */
class InputShapeTest {
  private static final String HINT = "set SAGEBOX_FEATURE_CHECK=lenient to treat missing trailing features as missing";
  private final Codecs codecs = Codecs.standard();

  private static InputShape strict(int n) {
    return new InputShape(n, false, LibsvmIndexing.ZERO_BASED, HINT);
  }

  private static InputShape lenient(int n) {
    return new InputShape(n, true, LibsvmIndexing.ZERO_BASED, HINT);
  }

  private Object decode(String type, String body, InputShape shape) {
    return codecs.decoderFor(type).decode(body.getBytes(StandardCharsets.UTF_8), MediaType.parse(type), shape);
  }

  @Test
  void strictModeRefusesFewerFeaturesAndNamesTheLenientSetting() {
    assertThatThrownBy(() -> decode("text/csv", "1,2\n", strict(4)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("found 2 feature(s); the model expects 4")
        .hasMessageContaining("SAGEBOX_FEATURE_CHECK=lenient");
    assertThatThrownBy(() -> decode("application/json", "{\"instances\": [[1, 2]]}", strict(4)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("SAGEBOX_FEATURE_CHECK=lenient");
    // Too many features: the hint would not help, so it is not given.
    assertThatThrownBy(() -> decode("text/csv", "1,2,3,4,5\n", strict(4)))
        .isInstanceOf(DataFormatError.class)
        .message().doesNotContain("lenient");
  }

  @Test
  void lenientModePadsMissingTrailingFeaturesInCsvJsonAndJsonLines() {
    DenseBatch csv = (DenseBatch) decode("text/csv", "1,2\n3,4\n", lenient(4));
    assertThat(csv.columns()).isEqualTo(4);
    assertThat(csv.values()).containsExactly(1f, 2f, Float.NaN, Float.NaN, 3f, 4f, Float.NaN, Float.NaN);
    DenseBatch json = (DenseBatch) decode("application/json", "{\"instances\": [[1, 2, 3], [4]]}", lenient(3));
    assertThat(json.values()).containsExactly(1f, 2f, 3f, 4f, Float.NaN, Float.NaN);
    DenseBatch lines = (DenseBatch) decode("application/jsonlines", "[5]\n{\"features\": [6, 7]}\n", lenient(2));
    assertThat(lines.values()).containsExactly(5f, Float.NaN, 6f, 7f);
    // Lenient never accepts more features than the model has.
    assertThatThrownBy(() -> decode("text/csv", "1,2,3\n", lenient(2))).isInstanceOf(DataFormatError.class);
  }

  @Test
  void libsvmRequestsFollowTheRecordedNumbering() {
    String body = "1:0.5 3:2\n";
    SparseBatch zero = (SparseBatch) decode("text/libsvm", body, strict(4));
    assertThat(zero.indices()).containsExactly(1, 3);
    SparseBatch one = (SparseBatch) decode("text/libsvm", body,
        strict(3).withLibsvmIndexing(LibsvmIndexing.ONE_BASED));
    assertThat(one.indices()).containsExactly(0, 2);
    assertThat(one.columns()).isEqualTo(3);
    assertThatThrownBy(() -> decode("text/libsvm", "0:1 2:1\n", strict(3).withLibsvmIndexing(
        LibsvmIndexing.ONE_BASED)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("indices 1 to 3 (indices are 1-based, as the model was trained)");
  }

  @Test
  void libsvmRequestsToAForeignModelUseAwsPerRequestRule() {
    InputShape shape = strict(3).withLibsvmIndexing(LibsvmIndexing.PER_REQUEST);
    SparseBatch allFromOne = (SparseBatch) decode("text/libsvm", "1:1 3:3\n2:2\n", shape);
    assertThat(allFromOne.indices()).containsExactly(0, 2, 1);
    SparseBatch withZero = (SparseBatch) decode("text/libsvm", "0:1 2:3\n1:2\n", shape);
    assertThat(withZero.indices()).containsExactly(0, 2, 1);
    assertThatThrownBy(() -> decode("text/libsvm", "0:1 3:3\n", shape))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("read as 0-based, since the request uses index 0");
  }

  @Test
  void csvLabelSizeOtherThanOneIsUnsupportedAsInSageMakerXGBoost() {
    assertThat(codecs.decoderFor("text/csv; label_size=1")).isInstanceOf(CsvDecoder.class);
    for (String bad : new String[] {"text/csv; label_size=5", "text/csv; label_size=1=1",
        "text/csv; label_size=1; label_size=2", "label_size=1; text/csv"}) {
      assertThatThrownBy(() -> codecs.decoderFor(bad)).as(bad).isInstanceOf(UnsupportedMediaTypeError.class);
    }
  }
}
