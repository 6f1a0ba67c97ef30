package dev.sagebox.engine.data;

import dev.sagebox.engine.error.UserError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decoding PNG/JPEG bytes of any size or colour into a square grayscale pixel row (values 0-255). */
public final class GrayscaleImage {
  private GrayscaleImage() {}

  /** True when the bytes start like a PNG or a JPEG. */
  public static boolean looksLikeImage(byte[] b) {
    boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    return png || jpeg;
  }

  /**
   * @param name what the bytes are, for the error message ("train/7/a.png", "request body")
   * @return {@code side * side} values, row-major
   */
  public static float[] decode(byte[] bytes, int side, String name) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new UserError(name + " is not a readable PNG or JPEG image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new UserError(name + " is not a readable PNG or JPEG image");
    }
    BufferedImage gray = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, side, side, null);
    g.dispose();
    float[] out = new float[side * side];
    var raster = gray.getRaster();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        out[y * side + x] = raster.getSample(x, y, 0);
      }
    }
    return out;
  }
}
