package dev.sagebox.engine.onnx;

import dev.sagebox.engine.error.UserError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One PNG or JPEG body as a {@code [1, C, H, W]} float tensor for an image input {@code [N, C, H, W]} (C of 1 or
 * 3): grayscale or RGB channels in that order, values scaled to 0-1 (pixel / 255, as torchvision's
 * {@code ToTensor}; no mean/std normalisation). A fixed H or W is met by resizing (bilinear, aspect ratio not
 * kept); a dynamic H or W takes the image's own size. The size the image declares is read from its header first and
 * refused over the pixel budget; images much larger than a fixed target are decoded with source subsampling; at most
 * {@code concurrentDecodes} images are decoded at once.
 */
public final class ImageTensorDecoder {
  private static final int OVERSAMPLE = 4;
  private final long maxPixels;
  private final Semaphore decodes;

  public ImageTensorDecoder(long maxPixels, int concurrentDecodes) {
    this.maxPixels = maxPixels;
    this.decodes = new Semaphore(Math.max(1, concurrentDecodes), true);
  }

  public Tensor decode(byte[] body, TensorSpec spec) {
    int channels = (int) spec.dim(1);
    decodes.acquireUninterruptibly();
    try {
      return decodeNow(body, spec, channels);
    } finally {
      decodes.release();
    }
  }

  private Tensor decodeNow(byte[] body, TensorSpec spec, int channels) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new UserError("request body is not a readable PNG or JPEG image (unknown format)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || width * height > maxPixels) {
          throw new UserError(String.format(Locale.ROOT, "request body declares %d x %d pixels (%,d); images up to "
              + "%,d pixels are accepted: send a smaller image (input '%s' is %s)", width, height, width * height,
              maxPixels, spec.name(), spec.describe()));
        }
        int targetH = (int) (spec.dim(2) > 0 ? spec.dim(2) : height);
        int targetW = (int) (spec.dim(3) > 0 ? spec.dim(3) : width);
        ImageReadParam param = reader.getDefaultReadParam();
        int sx = (int) Math.max(1, width / ((long) targetW * OVERSAMPLE));
        int sy = (int) Math.max(1, height / ((long) targetH * OVERSAMPLE));
        if (sx > 1 || sy > 1) {
          param.setSourceSubsampling(sx, sy, 0, 0);
        }
        return toTensor(reader.read(0, param), channels, targetH, targetW);
      } finally {
        reader.dispose();
      }
    } catch (UserError e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UserError("request body is not a readable PNG or JPEG image: " + e.getMessage(), e);
    }
  }

  private static Tensor toTensor(BufferedImage img, int channels, int h, int w) {
    BufferedImage target = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
        : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    float[] out = new float[channels * h * w];
    var raster = target.getRaster();
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < channels; c++) {
          out[c * plane + y * w + x] = raster.getSample(x, y, c) / 255f;
        }
      }
    }
    return new Tensor.Floats(new long[] {1, channels, h, w}, out);
  }
}
