package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

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
  public Batch decode(byte[] body, MediaType received, int featureCount) {
    int side = (int) Math.round(Math.sqrt(featureCount));
    if (side * side != featureCount) {
      throw new UserError("this model takes " + featureCount + " features, not an image; send text/csv or JSON");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(body));
    } catch (IOException | RuntimeException e) {
      throw new UserError("request body is not a readable " + type.essence() + " image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new UserError("request body is not a readable " + type.essence() + " image");
    }
    BufferedImage gray = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, side, side, null);
    g.dispose();
    float[] row = new float[featureCount];
    var raster = gray.getRaster();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        row[y * side + x] = raster.getSample(x, y, 0);
      }
    }
    return new DenseBatch(1, featureCount, row);
  }
}
