package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.GrayscaleImage;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;

/**
 * {@code image/png} and {@code image/jpeg}: one image of any size or colour, converted to a square grayscale row
 * (values 0-255) of the model's width (784 = 28x28 for LeNet).
 */
public final class ImageDecoder implements RequestDecoder {
  private final MediaType type;

  public ImageDecoder(MediaType type) {
    this.type = type;
  }

  @Override
  public MediaType mediaType() {
    return type;
  }

  @Override
  public Batch decode(byte[] body, MediaType received, InputShape shape) {
    int featureCount = shape.featureCount();
    int side = (int) Math.round(Math.sqrt(featureCount));
    if (side * side != featureCount) {
      throw new UserError("this model takes " + featureCount + " features, not an image; send text/csv or JSON");
    }
    float[] row = GrayscaleImage.decode(body, side, "request body");
    return new DenseBatch(1, featureCount, row);
  }
}
