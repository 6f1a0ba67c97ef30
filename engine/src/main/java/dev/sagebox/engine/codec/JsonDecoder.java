package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;

/** {@code application/json}: see {@link JsonRowsDecoder} for the accepted shapes. */
public final class JsonDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.JSON;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, InputShape shape) {
    // A body of n bytes holds at most n / 2 numbers: the model's declared width alone never sizes the buffer.
    JsonRowsDecoder d = new JsonRowsDecoder("request body", shape,
        (int) Math.min(Math.max(shape.featureCount(), body.length / 4), body.length / 2 + 16L));
    d.readDocument(body, 0, body.length);
    return d.batch();
  }
}
