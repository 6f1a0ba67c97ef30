package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;

/** {@code application/jsonlines}: one instance per line, {@code [...]} or {@code {"features": [...]}}. */
public final class JsonLinesDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.JSON_LINES;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, InputShape shape) {
    // A body of n bytes holds at most n / 2 numbers: the model's declared width alone never sizes the buffer.
    JsonRowsDecoder d = new JsonRowsDecoder("request body", shape,
        (int) Math.min(Math.max(shape.featureCount(), body.length / 4), body.length / 2 + 16L));
    int p = 0;
    long line = 1;
    while (p < body.length) {
      int end = p;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      if (!isBlank(body, p, end)) {
        d.readLine(body, p, end, line);
      }
      p = end + 1;
      line++;
    }
    return d.batch();
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
