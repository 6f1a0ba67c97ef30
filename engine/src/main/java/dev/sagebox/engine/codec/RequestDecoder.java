package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;

/** Turns a request body of one media type into feature rows of the model's width. */
public interface RequestDecoder {

  MediaType mediaType();

  /**
   * @param body the request body
   * @param shape what the model expects; rows of another width are a located error (or padded when lenient)
   */
  Batch decode(byte[] body, MediaType type, InputShape shape);

  /** Decodes rows that must have exactly {@code featureCount} features. */
  default Batch decode(byte[] body, MediaType type, int featureCount) {
    return decode(body, type, InputShape.strict(featureCount));
  }
}
