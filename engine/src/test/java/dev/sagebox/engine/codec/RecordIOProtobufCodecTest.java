package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.recordio.RecordBytes;
import dev.sagebox.engine.data.recordio.RecordIOReader;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RecordIO-protobuf request decoder and response encoder, checked with the generated classes and Python. */
class RecordIOProtobufCodecTest {
  private static final Path SCRIPTS = Path.of("src/test/resources/fixtures/recordio");

  /** A linear-learner-like answer for 3 rows, with every column type. */
  private static Predictions predictions() {
    Map<String, Column> cols = new LinkedHashMap<>();
    cols.put("score", new Column.Scalars(new float[] {0.4f, Float.NaN, 1e-3f}));
    cols.put("predicted_label", new Column.Integers(new int[] {0, 1, 2}));
    cols.put("probabilities", new Column.Vectors(new float[][] {{0.6f, 0.4f}, {0.25f, 0.75f}, {}}));
    cols.put("labels", new Column.IntVectors(new int[][] {{0, 1}, {0, 1}, {0, 1}}));
    return new Predictions(3, cols, true);
  }

  private static List<Record> decode(byte[] stream) throws IOException {
    RecordIOReader r = new RecordIOReader(new ByteArrayInputStream(stream), "response");
    List<Record> out = new ArrayList<>();
    while (r.next()) {
      out.add(Record.parser().parseFrom(r.payload(), 0, r.length()));
    }
    return out;
  }

  private static List<Float> values(Record r, String key) {
    Value v = r.getLabelOrThrow(key);
    assertThat(v.getValueCase()).isEqualTo(Value.ValueCase.FLOAT32_TENSOR);
    Float32Tensor t = v.getFloat32Tensor();
    assertThat(t.getKeysCount()).isZero();
    return t.getValuesList();
  }

  @Test
  void oneRecordPerRowWithEveryOutputAsAFloat32TensorInTheLabelMap() throws IOException {
    byte[] bytes = new RecordIOProtobufEncoder().encode(predictions());
    List<Record> records = decode(bytes);
    assertThat(records).hasSize(3);
    for (Record r : records) {
      assertThat(r.getFeaturesCount()).isZero();
      assertThat(r.getLabelMap()).containsOnlyKeys("score", "predicted_label", "probabilities", "labels");
    }
    assertThat(values(records.get(0), "score")).containsExactly(0.4f);
    assertThat(values(records.get(1), "score")).containsExactly(Float.NaN);
    assertThat(values(records.get(2), "predicted_label")).containsExactly(2f);
    assertThat(values(records.get(1), "probabilities")).containsExactly(0.25f, 0.75f);
    assertThat(values(records.get(2), "probabilities")).isEmpty();
    assertThat(values(records.get(0), "labels")).containsExactly(0f, 1f);
  }

  @Test
  void eachRecordHoldsOnlyItsOwnRow() throws IOException {
    // SageMaker's XGBoost encoder never clears its buffer, so record N repeats records 1..N-1; ours must not.
    Map<String, Column> cols = Map.of("score", new Column.Scalars(new float[] {1f, 2f, 3f, 4f}));
    byte[] bytes = new RecordIOProtobufEncoder().encode(new Predictions(4, cols, false));
    Record first = decode(bytes).get(0);
    assertThat(bytes).hasSize(4 * (8 + ((first.getSerializedSize() + 3) & ~3)));
    assertThat(decode(bytes)).extracting(r -> values(r, "score")).containsExactly(List.of(1f), List.of(2f),
        List.of(3f), List.of(4f));
    assertThat(new RecordIOProtobufEncoder().encode(new Predictions(0, cols(), false))).isEmpty();
  }

  private static Map<String, Column> cols() {
    return Map.of("score", new Column.Scalars(new float[0]));
  }

  @Test
  void pythonReadsWhatWeWrite(@TempDir Path tmp) throws Exception {
    String python = pythonWithProtobuf();
    Path file = tmp.resolve("response.rec");
    Files.write(file, new RecordIOProtobufEncoder().encode(predictions()));
    ProcessBuilder pb = new ProcessBuilder(python, SCRIPTS.resolve("decode_records.py").toString(), file.toString())
        .redirectErrorStream(true);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    JsonNode records = new ObjectMapper().readTree(out);
    assertThat(records).hasSize(3);
    JsonNode second = records.get(1).get("label");
    assertThat(second.get("score").get("type").asText()).isEqualTo("float32_tensor");
    assertThat(second.get("score").get("values").get(0).isNull()).isTrue();
    assertThat(second.get("predicted_label").get("values").get(0).floatValue()).isEqualTo(1f);
    assertThat(second.get("probabilities").get("values").toString()).isEqualTo("[0.25,0.75]");
    assertThat((float) records.get(0).get("label").get("score").get("values").get(0).doubleValue()).isEqualTo(0.4f);
    assertThat(records.get(2).get("label").get("probabilities").get("values")).isEmpty();
  }

  /** Debian's interpreter first (pyenv shims may hide python3-protobuf); skipped when none has protobuf. */
  static String pythonWithProtobuf() throws InterruptedException {
    for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import google.protobuf").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not installed: try the next one
      }
    }
    String why = "no python3 with the protobuf module (Debian: apt-get install python3-protobuf)";
    if ("1".equals(System.getenv("SAGEBOX_REQUIRE_PYTHON_PROTOBUF"))) {
      throw new AssertionError(why + ", and SAGEBOX_REQUIRE_PYTHON_PROTOBUF=1");
    }
    Assumptions.abort(why);
    return null;
  }

  @Test
  void theDecoderReadsTheGoldenRecordAndNamesBadRows() throws IOException {
    RecordIOProtobufDecoder decoder = new RecordIOProtobufDecoder();
    byte[] golden = Files.readAllBytes(SCRIPTS.resolve("golden_f4.rec"));
    DenseBatch b = (DenseBatch) decoder.decode(golden, MediaType.RECORDIO_PROTOBUF, 2);
    assertThat(b.rows()).isEqualTo(1);
    assertThat(b.values()).startsWith(1f, 2f);
    assertThatThrownBy(() -> decoder.decode(golden, MediaType.RECORDIO_PROTOBUF, 3))
        .isInstanceOf(DataFormatError.class)
        .hasMessage("request body: record 1 (byte offset 0): features['values'] has 2 features (dense Float32Tensor "
            + "of 2 values); the model expects 3 features");
    byte[] csv = "1,2\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> decoder.decode(csv, MediaType.RECORDIO_PROTOBUF, 2))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("not RecordIO data: check the ContentType");
  }

  @Test
  void encoderOutputDecodesAsARequestWhenItCarriesFeatures() {
    // A client echoing records back: the label map is ignored, features are read.
    byte[] body = RecordBytes.framed(RecordBytes.record(RecordBytes.f32(3, 4), RecordBytes.f32(1)));
    DenseBatch b = (DenseBatch) Codecs.standard().decoderFor("application/x-recordio-protobuf")
        .decode(body, MediaType.RECORDIO_PROTOBUF, 2);
    assertThat(b.values()).startsWith(3f, 4f);
  }
}
