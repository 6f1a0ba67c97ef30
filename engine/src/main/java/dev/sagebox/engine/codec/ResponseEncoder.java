package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Predictions;

/** Writes predictions in one media type. */
public interface ResponseEncoder {

  MediaType mediaType();

  byte[] encode(Predictions predictions);
}
