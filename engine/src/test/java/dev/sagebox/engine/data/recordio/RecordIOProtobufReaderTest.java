package dev.sagebox.engine.data.recordio;

import static dev.sagebox.engine.data.recordio.RecordBytes.f32;
import static dev.sagebox.engine.data.recordio.RecordBytes.framed;
import static dev.sagebox.engine.data.recordio.RecordBytes.record;
import static dev.sagebox.engine.data.recordio.RecordBytes.sparse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Bytes;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float64Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Int32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.error.DataFormatError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training and request rows from RecordIO-protobuf: the Python-written fixtures, then every rule and error. */
class RecordIOProtobufReaderTest {
  private static final Path FIXTURES = RecordIOReaderTest.FIXTURES;

  private static LabeledData labeled(byte[] stream) {
    return RecordIOProtobufReader.readLabeled(new ByteArrayInputStream(stream), "train/part-0.rec");
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).isNull() ? Float.NaN : (float) array.get(i).doubleValue();
    }
    return out;
  }

  @Test
  void fixturesWrittenWithTheSdkLogicReadBackExactly() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("expected.json").toFile());
    assertThat(expected.size()).isEqualTo(5);
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode x = e.getValue();
      Path file = FIXTURES.resolve(e.getKey());
      LabeledData d;
      try (InputStream in = Files.newInputStream(file)) {
        d = RecordIOProtobufReader.readLabeled(in, Files.size(file), e.getKey());
      }
      int rows = x.get("rows").asInt();
      int columns = x.get("columns").asInt();
      assertThat(d.rows()).as(e.getKey()).isEqualTo(rows);
      assertThat(d.features().columns()).as(e.getKey()).isEqualTo(columns);
      assertThat(d.labels()).as(e.getKey()).containsExactly(floats(x.get("labels")));
      assertThat(d.weights()).isNull();
      // Float.equals: bit-exact, NaN equals NaN, -0.0 differs from 0.0.
      if (x.get("sparse").asBoolean()) {
        SparseBatch s = (SparseBatch) d.features();
        long[] offsets = new long[rows + 1];
        int[] indices = new int[x.get("indices").size()];
        for (int i = 0; i <= rows; i++) {
          offsets[i] = x.get("row_offsets").get(i).asLong();
        }
        for (int i = 0; i < indices.length; i++) {
          indices[i] = x.get("indices").get(i).asInt();
        }
        assertThat(s.rowOffsets()).as(e.getKey()).containsExactly(offsets);
        assertThat(s.indices()).as(e.getKey()).containsExactly(indices);
        assertThat(s.values()).as(e.getKey()).containsExactly(floats(x.get("values")));
      } else {
        DenseBatch b = (DenseBatch) d.features();
        assertThat(Arrays.copyOf(b.values(), rows * columns)).as(e.getKey())
            .containsExactly(floats(x.get("values")));
      }
    }
  }

  @Test
  void requestRowsFromTheSameFilesIgnoreTheLabels() throws IOException {
    byte[] body = Files.readAllBytes(FIXTURES.resolve("dense_int32.rec"));
    DenseBatch b = (DenseBatch) RecordIOProtobufReader.readFeatures(body, "request body", 2);
    assertThat(b.rows()).isEqualTo(6);
    assertThat(Arrays.copyOf(b.values(), 12))
        .containsExactly(1, 2, 300, 2, 70000, 2, 20000000, 2, -5, 2, 0, 0);
    SparseBatch s = (SparseBatch) RecordIOProtobufReader.readFeatures(
        Files.readAllBytes(FIXTURES.resolve("sparse_float32.rec")), "request body", 12);
    assertThat(s.columns()).isEqualTo(12);
    assertThat(s.rowOffsets()).containsExactly(0, 3, 3, 4, 9, 11);
  }

  @Test
  void manyRecordsFromAStreamOfUnknownSize() {
    int n = 20_000;
    Record[] records = new Record[n];
    for (int i = 0; i < n; i++) {
      records[i] = record(f32(i, -i, i * 0.5f), f32(i % 2));
    }
    LabeledData d = labeled(framed(records));
    DenseBatch b = (DenseBatch) d.features();
    assertThat(d.rows()).isEqualTo(n);
    assertThat(b.get(n - 1, 1)).isEqualTo(-(n - 1));
    assertThat(b.get(12_345, 2)).isEqualTo(12_345 * 0.5f);
    assertThat(d.labels()[n - 1]).isEqualTo(1f);
  }

  @Test
  void everyTensorTypeIsAcceptedForFeaturesAndLabels() {
    Value f64 = Value.newBuilder().setFloat64Tensor(Float64Tensor.newBuilder().addValues(0.1).addValues(2))
        .build();
    Value i32 = Value.newBuilder().setInt32Tensor(Int32Tensor.newBuilder().addValues(-3).addValues(4)).build();
    Value label64 = Value.newBuilder().setFloat64Tensor(Float64Tensor.newBuilder().addValues(2.5)).build();
    Value label32 = Value.newBuilder().setInt32Tensor(Int32Tensor.newBuilder().addValues(7)).build();
    LabeledData d = labeled(framed(record(f64, label32), record(i32, label64), record(f32(5, 6), f32(1))));
    assertThat(((DenseBatch) d.features()).values()).startsWith(0.1f, 2f, -3f, 4f, 5f, 6f);
    assertThat(d.labels()).containsExactly(7f, 2.5f, 1f);
  }

  @Test
  void aDenseShapeMustMatchItsValuesAndFlattensRowMajor() {
    Value grid = Value.newBuilder().setFloat32Tensor(Float32Tensor.newBuilder()
        .addValues(1).addValues(2).addValues(3).addValues(4).addShape(2).addShape(2)).build();
    assertThat(labeled(framed(record(grid, f32(0)))).features().columns()).isEqualTo(4);
    Value wrong = Value.newBuilder().setFloat32Tensor(Float32Tensor.newBuilder()
        .addValues(1).addValues(2).addValues(3).addShape(2).addShape(2)).build();
    assertThatThrownBy(() -> labeled(framed(record(wrong, f32(0)))))
        .isInstanceOf(DataFormatError.class)
        .hasMessage("train/part-0.rec: record 1 (byte offset 0): features['values'] is dense (no keys) with 3 "
            + "value(s), but its shape [2, 2] describes 4 elements; a dense tensor lists every element (or set keys "
            + "to make it sparse)");
  }

  @Test
  void sparseRowsBecomeCsrSortedWithEmptyRowsKept() {
    Value empty = sparse(6, new long[0], new float[0]);
    Value unsorted = sparse(6, new long[] {5, 0, 3}, new float[] {5f, 0.5f, 3f});
    LabeledData d = labeled(framed(record(sparse(6, new long[] {1}, new float[] {9f}), f32(1)),
        record(empty, f32(0)), record(unsorted, f32(1))));
    SparseBatch s = (SparseBatch) d.features();
    assertThat(s.columns()).isEqualTo(6);
    assertThat(s.rowOffsets()).containsExactly(0, 1, 1, 4);
    assertThat(s.indices()).containsExactly(1, 0, 3, 5);
    assertThat(s.values()).containsExactly(9f, 0.5f, 3f, 5f);
  }

  @Test
  void denseAndSparseRowsMixIntoCsrWithEveryDenseValueExplicit() {
    LabeledData d = labeled(framed(record(f32(1, 0, Float.NaN), f32(1)),
        record(sparse(3, new long[] {2}, new float[] {4f}), f32(0)), record(f32(7, 8, 9), f32(1))));
    SparseBatch s = (SparseBatch) d.features();
    assertThat(s.rowOffsets()).containsExactly(0, 3, 4, 7);
    assertThat(s.indices()).containsExactly(0, 1, 2, 2, 0, 1, 2);
    assertThat(s.values()).containsExactly(1f, 0f, Float.NaN, 4f, 7f, 8f, 9f);
  }

  @Test
  void anEmptyStreamIsNoRows() {
    LabeledData d = labeled(new byte[0]);
    assertThat(d.rows()).isZero();
    assertThat(RecordIOProtobufReader.readFeatures(new byte[0], "request body", 4).rows()).isZero();
  }

  @Test
  void splitRecordsFromDmlcWritersReadBack() {
    // 0xCED7230A read as a float: its bytes are the magic word, at a 4-byte boundary of the payload.
    float magicFloat = Float.intBitsToFloat(RecordIOReader.MAGIC);
    Record r = record(f32(magicFloat, 2f), f32(magicFloat));
    byte[] split = RecordBytes.dmlcFramed(r.toByteArray());
    assertThat(split.length).isGreaterThan(framed(r).length);
    LabeledData d = labeled(RecordBytes.concat(split, framed(record(f32(3, 4), f32(0)))));
    assertThat(((DenseBatch) d.features()).values()).startsWith(magicFloat, 2f, 3f, 4f);
    assertThat(d.labels()).containsExactly(magicFloat, 0f);
  }

  private static String error(Record... records) {
    try {
      labeled(framed(records));
    } catch (DataFormatError e) {
      return e.getMessage();
    }
    throw new AssertionError("no error");
  }

  @Test
  void widthsMustAgreeNamingBothRecords() {
    assertThat(error(record(f32(1, 2, 3), f32(0)), record(f32(1, 2, 3), f32(0)), record(f32(1, 2, 3, 4), f32(1))))
        .isEqualTo("train/part-0.rec: record 3 (byte offset 112): features['values'] has 4 features (dense "
            + "Float32Tensor of 4 values) but record 1 has 3 features (dense Float32Tensor of 3 values); every record "
            + "needs the same number of features");
    assertThat(error(record(sparse(10, new long[] {1}, new float[] {1}), f32(0)),
        record(sparse(12, new long[] {1}, new float[] {1}), f32(0))))
        .contains("record 2 (byte offset")
        .endsWith("features['values'] has 12 features (sparse Float32Tensor, shape [12]) but record 1 has 10 "
            + "features (sparse Float32Tensor, shape [10]); every record needs the same number of features");
  }

  @Test
  void sparseTensorsNeedAShapeOneKeyPerValueAndKeysInRange() {
    Value noShape = Value.newBuilder().setFloat32Tensor(Float32Tensor.newBuilder().addKeys(1).addValues(1)).build();
    assertThat(error(record(noShape, f32(0))))
        .isEqualTo("train/part-0.rec: record 1 (byte offset 0): features['values'] is sparse (1 keys) but has no "
            + "shape; a sparse tensor needs shape = [number of features]");
    assertThat(error(record(sparse(5, new long[] {1, 2}, new float[] {1}), f32(0))))
        .endsWith("features['values'] has 2 keys but 1 values; a sparse tensor needs one key (flat index) per value");
    assertThat(error(record(sparse(5, new long[] {1, 5}, new float[] {1, 2}), f32(0))))
        .endsWith("features['values'] key 5 (value 2) is outside shape [5]; keys are flat indices from 0 to 4");
    assertThat(error(record(sparse(5, new long[] {-1L}, new float[] {1}), f32(0))))
        .contains("key 18446744073709551615 (value 1) is outside shape [5]");
    assertThat(error(record(sparse(5, new long[] {3, 1, 3}, new float[] {1, 2, 3}), f32(0))))
        .endsWith("features['values'] lists key 3 more than once; each flat index may appear once");
  }

  @Test
  void trainingRecordsNeedOneLabelValue() {
    assertThat(error(record(f32(1, 2), f32(1)), record(f32(1, 2), null)))
        .isEqualTo("train/part-0.rec: record 2 (byte offset 52): the record has no label; a training record needs "
            + "label['values'] holding one value");
    Record otherKey = record(f32(1, 2), null).toBuilder().putLabel("target", f32(1)).build();
    assertThat(error(otherKey)).endsWith("label has no 'values' entry (found 'target'); a training record needs "
        + "label['values'] holding one value");
    assertThat(error(record(f32(1, 2), f32(1, 0))))
        .endsWith("label['values'] (Float32Tensor) has 2 value(s); a label is exactly one dense value");
    assertThat(error(record(f32(1, 2), sparse(2, new long[] {1}, new float[] {1}))))
        .endsWith("label['values'] (Float32Tensor) has 1 value(s) and 1 key(s); a label is exactly one dense value");
  }

  @Test
  void featuresMustBeANumericTensorUnderValues() {
    assertThat(error(record(null, f32(1)))).endsWith("the record has no features; put the feature vector in "
        + "features['values']");
    Record named = Record.newBuilder().putFeatures("pixels", f32(1)).putFeatures("age", f32(2)).build();
    assertThat(error(named)).endsWith("features has no 'values' entry (found 'age', 'pixels'); put the feature "
        + "vector in features['values']");
    Value bytes = Value.newBuilder().setBytes(Bytes.newBuilder().addValue(com.google.protobuf.ByteString.copyFrom(
        new byte[] {1}))).build();
    assertThat(error(record(bytes, f32(1)))).endsWith("features['values'] is a Bytes value (raw bytes such as an "
        + "encoded image), not numbers; accepted: Float32Tensor, Float64Tensor, Int32Tensor");
    assertThat(error(record(Value.getDefaultInstance(), f32(1))))
        .endsWith("features['values'] holds no tensor (an empty Value); accepted: Float32Tensor, Float64Tensor, "
            + "Int32Tensor");
    assertThat(error(record(f32(), f32(1))))
        .endsWith("features['values'] is empty: no values, no keys, no shape; a row needs at least one feature");
  }

  @Test
  void aPayloadThatIsNotProtobufIsNamed() {
    byte[] stream = RecordBytes.framedPayloads(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    assertThatThrownBy(() -> labeled(stream))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/part-0.rec: record 1 (byte offset 0): the payload (3 bytes) is not a protobuf "
            + "aialgs.data.Record: ");
  }

  @Test
  void requestWidthsFollowTheModel() {
    byte[] body = framed(record(f32(1, 2, 3), null), record(f32(1, 2, 3, 4), f32(9)));
    assertThatThrownBy(() -> RecordIOProtobufReader.readFeatures(body, "request body", 3))
        .isInstanceOf(DataFormatError.class)
        .hasMessage("request body: record 2 (byte offset 36): features['values'] has 4 features (dense "
            + "Float32Tensor of 4 values); the model expects 3 features");
    assertThatThrownBy(() -> RecordIOProtobufReader.readFeatures(body, "request body", 5))
        .hasMessageStartingWith("request body: record 1 (byte offset 0): features['values'] has 3 features");
    byte[] narrow = framed(record(sparse(2, new long[] {1}, new float[] {7}), null));
    Batch b = RecordIOProtobufReader.readFeatures(narrow, "request body", 5);
    assertThat(b).isInstanceOfSatisfying(SparseBatch.class, s -> {
      assertThat(s.columns()).isEqualTo(5);
      assertThat(s.indices()).containsExactly(1);
    });
    byte[] wide = framed(record(sparse(9, new long[] {1}, new float[] {7}), null));
    assertThatThrownBy(() -> RecordIOProtobufReader.readFeatures(wide, "request body", 5))
        .hasMessageEndingWith("features['values'] has 9 features (sparse Float32Tensor, shape [9]); the model expects "
            + "5 features (sparse rows may be narrower, not wider)");
  }
}
