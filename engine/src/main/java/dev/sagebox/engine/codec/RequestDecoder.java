package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;

/** Turns a request body of one media type into feature rows of the model's width. */
public interface RequestDecoder {

  MediaType mediaType();

  /**
   * @param body the request body
   * @param featureCount the model's feature count; rows of another width are a located error
   */
  Batch decode(byte[] body, MediaType type, int featureCount);
}
