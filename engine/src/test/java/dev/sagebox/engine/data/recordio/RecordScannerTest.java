package dev.sagebox.engine.data.recordio;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Bytes;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float64Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Int32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must read every record exactly as the generated classes do, or hand it over to them. */
class RecordScannerTest {
  private final RecordScanner scanner = new RecordScanner();
  private final RecordIOReader nowhere = new RecordIOReader(InputStream.nullInputStream(), "test");

  /** What the generated classes make of {@code features["values"]}/{@code label["values"]}, or null if absent. */
  private TensorBuffer reference(byte[] payload, boolean features) throws IOException {
    Record r = Record.parseFrom(payload);
    Value v = features ? r.getFeaturesOrDefault("values", null) : r.getLabelOrDefault("values", null);
    if (v == null) {
      return null;
    }
    TensorBuffer t = new TensorBuffer("t");
    t.fill(v, nowhere);
    return t;
  }

  private static void assertSame(TensorBuffer actual, TensorBuffer expected) {
    assertThat(actual.kind).isEqualTo(expected.kind);
    assertThat(Arrays.copyOf(actual.values, actual.valueCount))
        .isEqualTo(Arrays.copyOf(expected.values, expected.valueCount));
    assertThat(Arrays.copyOf(actual.keys, actual.keyCount)).isEqualTo(Arrays.copyOf(expected.keys, expected.keyCount));
    assertThat(Arrays.copyOf(actual.shape, actual.shapeCount))
        .isEqualTo(Arrays.copyOf(expected.shape, expected.shapeCount));
  }

  /** Scans and, when the scanner takes the record, checks it against the generated classes. */
  private boolean scanMatches(byte[] payload) throws IOException {
    TensorBuffer features = new TensorBuffer("f");
    TensorBuffer label = new TensorBuffer("l");
    if (!scanner.scan(payload, payload.length, features, label)) {
      return false;
    }
    assertSame(features, reference(payload, true));
    TensorBuffer expectedLabel = reference(payload, false);
    assertThat(scanner.labelFound()).isEqualTo(expectedLabel != null);
    if (expectedLabel != null) {
      assertSame(label, expectedLabel);
    }
    return true;
  }

  private static Value randomTensor(Random rnd) {
    int n = rnd.nextInt(6);
    boolean sparse = rnd.nextBoolean();
    int kind = rnd.nextInt(3);
    Value.Builder v = Value.newBuilder();
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = i * 3L + rnd.nextInt(3);
    }
    if (kind == 0) {
      Float32Tensor.Builder t = Float32Tensor.newBuilder();
      for (int i = 0; i < n; i++) {
        t.addValues(rnd.nextInt(4) == 0 ? Float.NaN : (float) rnd.nextGaussian());
      }
      if (sparse) {
        Arrays.stream(keys).forEach(t::addKeys);
        t.addShape(40);
      }
      v.setFloat32Tensor(t);
    } else if (kind == 1) {
      Float64Tensor.Builder t = Float64Tensor.newBuilder();
      for (int i = 0; i < n; i++) {
        t.addValues(rnd.nextGaussian() * 1e10);
      }
      if (sparse) {
        Arrays.stream(keys).forEach(t::addKeys);
        t.addShape(5).addShape(8);
      }
      v.setFloat64Tensor(t);
    } else {
      Int32Tensor.Builder t = Int32Tensor.newBuilder();
      for (int i = 0; i < n; i++) {
        t.addValues(rnd.nextInt());
      }
      if (sparse) {
        Arrays.stream(keys).forEach(t::addKeys);
        t.addShape(1L << 40);
      }
      v.setInt32Tensor(t);
    }
    return v.build();
  }

  @Test
  void everyRecordAWriterMakesIsReadLikeTheGeneratedClasses() throws IOException {
    Random rnd = new Random(3);
    for (int i = 0; i < 3_000; i++) {
      Record.Builder r = Record.newBuilder().putFeatures("values", randomTensor(rnd));
      if (rnd.nextBoolean()) {
        r.putLabel("values", randomTensor(rnd));
      }
      if (rnd.nextInt(4) == 0) {
        r.putFeatures("extra", randomTensor(rnd)).putLabel("score", randomTensor(rnd)).setUid("id-" + i)
            .setMetadata("{}").setConfiguration("{\"k\": 1}");
      }
      assertThat(scanMatches(r.build().toByteArray())).as("record %d: %s", i, r).isTrue();
    }
  }

  /** Hand-written encodings that protobuf accepts but writers rarely produce. */
  private static final class Bytes2 {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Bytes2 tag(int field, int wire) throws IOException {
      out.writeTag(field, wire);
      return this;
    }

    Bytes2 message(int field, Bytes2 inner) throws IOException {
      out.writeByteArray(field, inner.done());
      return this;
    }

    byte[] done() throws IOException {
      out.flush();
      return bytes.toByteArray();
    }
  }

  private static Bytes2 entry(String key, Bytes2 value, boolean valueFirst) throws IOException {
    Bytes2 e = new Bytes2();
    if (valueFirst) {
      e.message(2, value);
      e.out.writeString(1, key);
    } else {
      e.out.writeString(1, key);
      e.message(2, value);
    }
    return e;
  }

  @Test
  void unpackedFieldsKeyAfterValueSplitPackedRunsAndUnknownFieldsAreRead() throws IOException {
    Bytes2 tensor = new Bytes2();
    tensor.out.writeFloat(1, 1.5f);                      // unpacked value
    tensor.out.writeUInt64(2, 3);                        // unpacked key
    tensor.out.writeUInt64(3, 10);                       // unpacked shape
    tensor.out.writeString(9, "unknown field");
    tensor.out.writeFloat(1, 2.5f);
    tensor.out.writeUInt64(2, 7);
    Bytes2 value = new Bytes2().message(2, tensor);
    value.out.writeInt32(15, 99);                        // unknown field in Value
    Bytes2 record = new Bytes2();
    record.out.writeString(3, "uid");
    record.message(1, entry("values", value, true));     // value before key
    Bytes2 label = new Bytes2();
    label.out.writeTag(1, 2);                            // packed int32
    label.out.writeUInt32NoTag(1);
    label.out.writeInt32NoTag(4);
    Bytes2 labelValue = new Bytes2().message(7, label);
    record.message(2, entry("values", labelValue, false));
    record.out.writeInt64(40, 1);                        // unknown field in Record
    byte[] payload = record.done();
    assertThat(scanMatches(payload)).isTrue();

    LabelAndRow read = read(payload);
    assertThat(read.label).isEqualTo(4f);
  }

  @Test
  void aRepeatedMapKeyKeepsTheLastEntryAndPackedRunsAppend() throws IOException {
    Bytes2 twoRuns = new Bytes2();
    twoRuns.out.writeRawBytes(floats(3f).done());
    twoRuns.out.writeRawBytes(floats(4f, 5f).done());
    Bytes2 record = new Bytes2();
    record.message(1, entry("values", new Bytes2().message(2, floats(1f, 2f)), false));
    record.message(1, entry("values", new Bytes2().message(2, twoRuns), false));
    record.message(2, entry("values", new Bytes2().message(2, floats(9f)), false));
    byte[] payload = record.done();
    assertThat(scanMatches(payload)).isTrue();
    assertThat(read(payload).row).containsExactly(3f, 4f, 5f);
  }

  private static Bytes2 floats(float... values) throws IOException {
    Bytes2 t = new Bytes2();
    t.out.writeTag(1, 2);
    t.out.writeUInt32NoTag(values.length * 4);
    for (float v : values) {
      t.out.writeFloatNoTag(v);
    }
    return t;
  }

  @Test
  void recordsThatProtobufMergesOrThatAreNotTensorsGoToTheGeneratedClasses() throws IOException {
    // Two tensors in one Value (the last wins), a value field given twice in an entry (merged), a Bytes value,
    // a packed float run whose length is not a multiple of 4, one that claims 2 GB, no features at all.
    Bytes2 twoTensors = new Bytes2().message(2, floats(1f)).message(3, new Bytes2());
    Bytes2 twice = new Bytes2();
    twice.out.writeString(1, "values");
    twice.message(2, new Bytes2().message(2, floats(1f)));
    twice.message(2, new Bytes2().message(2, floats(2f)));
    Value bytes = Value.newBuilder().setBytes(Bytes.newBuilder().addValue(ByteString.copyFromUtf8("x"))).build();
    Bytes2 broken = new Bytes2();
    broken.out.writeTag(1, 2);
    broken.out.writeUInt32NoTag(3);
    broken.out.writeRawBytes(new byte[3]);
    Bytes2 huge = new Bytes2();
    huge.out.writeTag(1, 2);
    huge.out.writeUInt32NoTag(2_000_000_000);
    huge.out.writeRawBytes(new byte[8]);
    byte[][] payloads = {
        new Bytes2().message(1, entry("values", twoTensors, false)).done(),
        new Bytes2().message(1, twice).done(),
        Record.newBuilder().putFeatures("values", bytes).build().toByteArray(),
        new Bytes2().message(1, entry("values", new Bytes2().message(2, broken), false)).done(),
        new Bytes2().message(1, entry("values", new Bytes2().message(2, huge), false)).done(),
        Record.newBuilder().putLabel("values", RecordBytes.f32(1)).build().toByteArray(),
    };
    for (byte[] p : payloads) {
      assertThat(scanner.scan(p, p.length, new TensorBuffer("f"), new TensorBuffer("l"))).isFalse();
    }
    // The reader then uses what the generated classes decided: the Float64 tensor, the merged values.
    assertThat(read(concatLabel(payloads[1])).row).containsExactly(1f, 2f);
    assertThat(reference(payloads[0], true).kind).isEqualTo(TensorBuffer.Kind.FLOAT64);
  }

  private record LabelAndRow(float label, float[] row) {}

  private static byte[] concatLabel(byte[] featuresOnly) throws IOException {
    return RecordBytes.concat(featuresOnly, Record.newBuilder().putLabel("values", RecordBytes.f32(0)).build()
        .toByteArray());
  }

  private static LabelAndRow read(byte[] payload) {
    var d = RecordIOProtobufReader.readLabeled(new java.io.ByteArrayInputStream(
        RecordBytes.framedPayloads(payload)), "t");
    var b = d.features();
    float[] row = b instanceof dev.sagebox.engine.data.DenseBatch dense
        ? Arrays.copyOf(dense.values(), dense.columns())
        : ((dev.sagebox.engine.data.SparseBatch) b).values();
    return new LabelAndRow(d.labels()[0], row);
  }
}
