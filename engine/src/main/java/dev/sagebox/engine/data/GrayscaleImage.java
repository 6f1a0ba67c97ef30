package dev.sagebox.engine.data;

import dev.sagebox.engine.error.UserError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoding PNG/JPEG bytes of any size or colour into a square grayscale pixel row (values 0-255), with bounded
 * work: the size the image declares is read from its header first and refused over a pixel budget (a 69-byte PNG
 * can declare 46000 x 46000), and large images are decoded with source subsampling toward the small target size,
 * so memory stays near the target's, not the image's.
 */
public final class GrayscaleImage {
  /** Default pixel budget: generous for real photos (a 40-megapixel camera), far below a bomb's declared size. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
  /** Subsample no further than this many source pixels per target pixel side (keeps bilinear scaling smooth). */
  private static final int OVERSAMPLE = 4;

  private GrayscaleImage() {}

  /** True when the bytes start like a PNG or a JPEG. */
  public static boolean looksLikeImage(byte[] b) {
    boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    return png || jpeg;
  }

  public static float[] decode(byte[] bytes, int side, String name) {
    return decode(bytes, side, name, DEFAULT_MAX_PIXELS);
  }

  /**
   * @param name what the bytes are, for the error message ("train/7/a.png", "request body")
   * @param maxPixels the largest width x height accepted
   * @return {@code side * side} values, row-major
   */
  public static float[] decode(byte[] bytes, int side, String name, long maxPixels) {
    BufferedImage img = read(bytes, side, name, maxPixels);
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

  private static BufferedImage read(byte[] bytes, int side, String name, long maxPixels) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new UserError(name + " is not a readable PNG or JPEG image (unknown format)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || width * height > maxPixels) {
          throw new UserError(String.format(Locale.ROOT, "%s declares %d x %d pixels (%,d); images up to %,d pixels "
              + "are accepted: send a smaller image (the model reads %d x %d)", name, width, height, width * height,
              maxPixels, side, side));
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int sx = (int) Math.max(1, width / ((long) side * OVERSAMPLE));
        int sy = (int) Math.max(1, height / ((long) side * OVERSAMPLE));
        if (sx > 1 || sy > 1) {
          param.setSourceSubsampling(sx, sy, 0, 0);
        }
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (UserError e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UserError(name + " is not a readable PNG or JPEG image: " + e.getMessage(), e);
    }
  }
}
