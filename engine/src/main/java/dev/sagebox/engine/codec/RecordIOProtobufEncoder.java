package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.recordio.RecordIOWriter;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * {@code application/x-recordio-protobuf}, as SageMaker's built-in algorithms answer: one RecordIO-framed
 * {@code aialgs.data.Record} per prediction row, every output in the {@code label} map under its name
 * ({@code score}, {@code predicted_label}, {@code probabilities}, ...) as a Float32Tensor: one value for a scalar,
 * the list for a vector. Class labels are written as floats, as the built-ins do. Each record holds only its own
 * row.
 */
public final class RecordIOProtobufEncoder implements ResponseEncoder {

  @Override
  public MediaType mediaType() {
    return MediaType.RECORDIO_PROTOBUF;
  }

  @Override
  public byte[] encode(Predictions predictions) {
    Map<String, Column> columns = predictions.columns();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(predictions.rows() * (16 + 24 * columns.size()));
    RecordIOWriter writer = new RecordIOWriter(bytes);
    Record.Builder record = Record.newBuilder();
    Float32Tensor.Builder tensor = Float32Tensor.newBuilder();
    for (int r = 0; r < predictions.rows(); r++) {
      record.clear();
      for (Map.Entry<String, Column> e : columns.entrySet()) {
        tensor.clear();
        values(tensor, e.getValue(), r);
        record.putLabel(e.getKey(), Value.newBuilder().setFloat32Tensor(tensor).build());
      }
      writer.write(record.build().toByteArray());
    }
    return bytes.toByteArray();
  }

  private static void values(Float32Tensor.Builder tensor, Column column, int r) {
    if (column instanceof Column.Scalars s) {
      tensor.addValues(s.values()[r]);
    } else if (column instanceof Column.Integers i) {
      tensor.addValues(i.values()[r]);
    } else if (column instanceof Column.Vectors v) {
      for (float x : v.values()[r]) {
        tensor.addValues(x);
      }
    } else if (column instanceof Column.IntVectors v) {
      for (int x : v.values()[r]) {
        tensor.addValues(x);
      }
    }
  }
}
