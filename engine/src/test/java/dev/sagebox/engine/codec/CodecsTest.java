package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.NotAcceptableError;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecsTest {
  private final Codecs codecs = Codecs.standard();

  private DenseBatch dense(String type, String body, int features) {
    return (DenseBatch) codecs.decoderFor(type).decode(body.getBytes(StandardCharsets.UTF_8),
        MediaType.parse(type), features);
  }

  @Test
  void decodersAreFoundByEssenceIgnoringParametersAndCase() {
    assertThat(codecs.decoderFor("text/csv; charset=utf-8")).isInstanceOf(CsvDecoder.class);
    assertThat(codecs.decoderFor("TEXT/CSV")).isInstanceOf(CsvDecoder.class);
    assertThat(codecs.decoderFor("text/x-libsvm")).isInstanceOf(LibsvmDecoder.class);
    assertThat(codecs.decoderFor("application/jsonlines")).isInstanceOf(JsonLinesDecoder.class);
    assertThat(codecs.decoderFor("application/x-recordio-protobuf")).isInstanceOf(RecordIOProtobufDecoder.class);
    assertThat(codecs.decoderFor("recordio-protobuf")).isInstanceOf(RecordIOProtobufDecoder.class);
  }

  @Test
  void unknownContentTypeListsTheAcceptedOnes() {
    assertThatThrownBy(() -> codecs.decoderFor("application/x-parquet"))
        .isInstanceOf(UnsupportedMediaTypeError.class)
        .hasMessageContaining("application/x-parquet")
        .hasMessageContaining("text/csv, text/libsvm, text/x-libsvm, application/json, application/jsonlines, "
            + "application/x-recordio-protobuf, image/png, image/jpeg");
    assertThatThrownBy(() -> codecs.decoderFor(null)).isInstanceOf(UnsupportedMediaTypeError.class);
  }

  @Test
  void acceptNegotiation() {
    assertThat(codecs.encoderFor(null, "text/csv").mediaType()).isEqualTo(MediaType.CSV);
    assertThat(codecs.encoderFor("*/*", "application/json").mediaType()).isEqualTo(MediaType.JSON);
    assertThat(codecs.encoderFor("application/json", "text/csv").mediaType()).isEqualTo(MediaType.JSON);
    assertThat(codecs.encoderFor("image/png, application/jsonlines;q=0.5, text/csv;q=0.9", "text/csv")
        .mediaType()).isEqualTo(MediaType.CSV);
    assertThat(codecs.encoderFor("application/*", "text/csv").mediaType()).isEqualTo(MediaType.JSON);
    assertThatThrownBy(() -> codecs.encoderFor("image/png", "text/csv"))
        .isInstanceOf(NotAcceptableError.class)
        .hasMessageContaining("text/csv, application/json, application/jsonlines, application/x-recordio-protobuf");
    assertThat(codecs.encoderFor("application/x-recordio-protobuf", "text/csv"))
        .isInstanceOf(RecordIOProtobufEncoder.class);
  }

  @Test
  void jsonShapesAllDecodeToTheSameRows() {
    float[] expected = {1f, 2f, 3f, 4f};
    assertThat(dense("application/json", "{\"instances\": [[1,2],[3,4]]}", 2).values()).containsExactly(expected);
    assertThat(dense("application/json", "[[1,2],[3,4]]", 2).values()).containsExactly(expected);
    assertThat(dense("application/json",
        "{\"instances\": [{\"features\": [1,2]}, {\"data\": {\"features\": {\"values\": [3,4]}}}]}", 2).values())
        .containsExactly(expected);
    assertThat(dense("application/json", "[1,2]", 2).values()).containsExactly(1f, 2f);
    assertThat(dense("application/jsonlines", "[1,2]\n{\"features\":[3,4]}\n\n", 2).values())
        .containsExactly(expected);
    assertThat(dense("application/json", "{\"instances\": [[1, null]]}", 2).values()[1]).isNaN();
  }

  @Test
  void jsonErrorsAreLocated() {
    assertThatThrownBy(() -> dense("application/json", "{\"instances\": [[1,2],\n [3]]}", 2))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("instance 2 has 1 value(s); the model expects 2");
    assertThatThrownBy(() -> dense("application/json", "{\"instances\": [[1,2,]]}", 2))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> dense("application/json", "{\"rows\": [[1,2]]}", 2))
        .hasMessageContaining("no \"instances\" list");
    assertThatThrownBy(() -> dense("application/json", "[[1,\"a\"]]", 2))
        .hasMessageContaining("value 2: expected a number or null, found a string");
    assertThatThrownBy(() -> dense("application/jsonlines", "[1,2]\n[1,2\n", 2))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void libsvmIndicesBeyondTheModelAreRejected() {
    byte[] body = "0:1 5:2\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codecs.decoderFor("text/libsvm").decode(body, MediaType.LIBSVM, 3))
        .hasMessageContaining("feature index 5 is out of range: the model has 3 features");
    SparseBatch ok = (SparseBatch) codecs.decoderFor("text/libsvm").decode("0:1 2:2\n".getBytes(
        StandardCharsets.UTF_8), MediaType.LIBSVM, 3);
    assertThat(ok.columns()).isEqualTo(3);
  }

  private static Predictions sample(boolean selected) {
    Map<String, Column> cols = new LinkedHashMap<>();
    if (selected) {
      cols.put("predicted_label", new Column.Integers(new int[] {1, 0}));
      cols.put("probabilities", new Column.Vectors(new float[][] {{0.25f, 0.75f}, {0.875f, 0.125f}}));
    } else {
      cols.put("score", new Column.Scalars(new float[] {0.75f, Float.NaN}));
    }
    return new Predictions(2, cols, selected);
  }

  @Test
  void encoders() {
    assertThat(new String(new CsvEncoder().encode(sample(false)), StandardCharsets.UTF_8))
        .isEqualTo("0.75\nnan\n");
    assertThat(new String(new JsonEncoder(false).encode(sample(false)), StandardCharsets.UTF_8))
        .isEqualTo("{\"predictions\":[{\"score\":0.75},{\"score\":null}]}");
    assertThat(new String(new CsvEncoder().encode(sample(true)), StandardCharsets.UTF_8))
        .isEqualTo("1,\"[0.25, 0.75]\"\n0,\"[0.875, 0.125]\"\n");
    assertThat(new String(new JsonEncoder(true).encode(sample(true)), StandardCharsets.UTF_8))
        .isEqualTo("{\"predicted_label\":1,\"probabilities\":[0.25,0.75]}\n"
            + "{\"predicted_label\":0,\"probabilities\":[0.875,0.125]}\n");
    Map<String, Column> vec = Map.of("score", new Column.Vectors(new float[][] {{0.5f, 1f}}));
    assertThat(new String(new CsvEncoder().encode(new Predictions(1, vec, false)), StandardCharsets.UTF_8))
        .isEqualTo("0.5,1.0\n");
  }

  @Test
  void mediaTypeParsing() {
    MediaType t = MediaType.parse("Text/CSV; label_size=1; charset=\"utf-8\"");
    assertThat(t.essence()).isEqualTo("text/csv");
    assertThat(t.parameter("label_size")).isEqualTo("1");
    assertThat(t.parameter("charset")).isEqualTo("utf-8");
    assertThat(MediaType.parse("csv").is(MediaType.CSV)).isTrue();
    assertThat(MediaType.parse("libsvm").is(MediaType.LIBSVM)).isTrue();
    assertThat(MediaType.parse("recordio-protobuf").is(MediaType.RECORDIO_PROTOBUF)).isTrue();
  }

  @Test
  void batchLinesWriteOnePredictionPerLineWithListsAsPythonPrintsThem() {
    Map<String, Column> scores = new LinkedHashMap<>();
    scores.put("score", new Column.Vectors(new float[][] {{0.25f, 0.75f}, {1f, 0f}}));
    assertThat(new String(new BatchLinesEncoder().encode(new Predictions(2, scores, false)), StandardCharsets.UTF_8))
        .isEqualTo("[0.25, 0.75]\n[1.0, 0.0]\n");
    Map<String, Column> scalars = new LinkedHashMap<>();
    scalars.put("score", new Column.Scalars(new float[] {0.5f}));
    assertThat(new String(new BatchLinesEncoder().encode(new Predictions(1, scalars, false)), StandardCharsets.UTF_8))
        .isEqualTo("0.5\n");
  }
}
