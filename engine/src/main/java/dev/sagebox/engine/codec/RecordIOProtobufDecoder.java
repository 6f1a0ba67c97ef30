package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.recordio.RecordIOProtobufReader;

/**
 * {@code application/x-recordio-protobuf}: RecordIO-framed {@code aialgs.data.Record} messages, one row each, the
 * features in {@code features["values"]} (Float32, Float64 or Int32 tensor, dense or sparse); a label in a record
 * is ignored. Dense rows must have the model's feature count; sparse rows may be narrower, never wider.
 */
public final class RecordIOProtobufDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.RECORDIO_PROTOBUF;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, InputShape shape) {
    return RecordIOProtobufReader.readFeatures(body, "request body", shape.featureCount(), shape.lenient());
  }
}
