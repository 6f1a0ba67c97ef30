package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.GrayscaleImage;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import java.util.concurrent.Semaphore;

/**
 * {@code image/png} and {@code image/jpeg}: one image of any size or colour, converted to a square grayscale row
 * (values 0-255) of the model's width (784 = 28x28 for LeNet). Images declaring more than the pixel budget are
 * refused from their header; at most {@code concurrentDecodes} images are decoded at once (others wait), so a burst
 * of large images costs bounded memory and CPU.
 */
public final class ImageDecoder implements RequestDecoder {
  private final MediaType type;
  private final long maxPixels;
  private final Semaphore decodes;

  public ImageDecoder(MediaType type) {
    this(type, GrayscaleImage.DEFAULT_MAX_PIXELS, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  public ImageDecoder(MediaType type, long maxPixels, int concurrentDecodes) {
    this.type = type;
    this.maxPixels = maxPixels;
    this.decodes = new Semaphore(concurrentDecodes, true);
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
    decodes.acquireUninterruptibly();
    try {
      return new DenseBatch(1, featureCount, GrayscaleImage.decode(body, side, "request body", maxPixels));
    } finally {
      decodes.release();
    }
  }
}
