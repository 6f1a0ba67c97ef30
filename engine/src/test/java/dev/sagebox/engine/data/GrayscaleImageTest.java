package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.codec.ImageDecoder;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.error.UserError;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Image bombs: tiny files that declare enormous sizes are refused from their header, without decoding. */
class GrayscaleImageTest {

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** A valid-looking PNG of a few dozen bytes that declares {@code w x h} 8-bit grayscale pixels. */
  static byte[] pngBomb(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
        .put((byte) 0).put((byte) 0).array()));
    Deflater d = new Deflater();
    d.setInput(new byte[64]);
    d.finish();
    byte[] z = new byte[128];
    int n = d.deflate(z);
    out.write(chunk("IDAT", java.util.Arrays.copyOf(z, n)));
    out.write(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  /** A real 8x8 JPEG whose frame header is patched to declare {@code w x h}. */
  static byte[] jpegBomb(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpg", out);
    byte[] b = out.toByteArray();
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xC0) {
        b[i + 5] = (byte) (h >> 8);
        b[i + 6] = (byte) h;
        b[i + 7] = (byte) (w >> 8);
        b[i + 8] = (byte) w;
        return b;
      }
    }
    throw new AssertionError("no SOF0 marker");
  }

  @Test
  void bombsAreRefusedFromTheirHeader() throws Exception {
    for (byte[] bomb : List.of(pngBomb(46_000, 46_000), pngBomb(1, 2_000_000_000), jpegBomb(46_000, 46_000))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> GrayscaleImage.decode(bomb, 28, "request body"))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("images up to 40,000,000 pixels are accepted");
      assertThat((System.nanoTime() - t0) / 1e6).as("ms to refuse a %d-byte bomb", bomb.length).isLessThan(2_000);
    }
  }

  @Test
  void manyBombsAtOnceAreAllRefused() {
    ImageDecoder decoder = new ImageDecoder(MediaType.PNG);
    List<CompletableFuture<Throwable>> all = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          decoder.decode(pngBomb(46_000, 46_000), MediaType.PNG, InputShape.strict(784));
          return null;
        } catch (Throwable t) {
          return t;
        }
      }));
    }
    for (CompletableFuture<Throwable> f : all) {
      assertThat(f.join()).isInstanceOf(UserError.class);
    }
  }

  @Test
  void aLargeRealPhotoIsSubsampledAndStillReadsRight() throws Exception {
    // 3000 x 3000 (9 MP): left half black, right half white.
    BufferedImage img = new BufferedImage(3000, 3000, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(1500, 0, 1500, 3000);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    float[] px = GrayscaleImage.decode(out.toByteArray(), 28, "photo.png");
    assertThat(px[14 * 28 + 2]).isLessThan(10f);
    assertThat(px[14 * 28 + 25]).isGreaterThan(245f);
    assertThatThrownBy(() -> GrayscaleImage.decode(out.toByteArray(), 28, "photo.png", 1_000_000))
        .isInstanceOf(UserError.class).hasMessageContaining("3000 x 3000");
  }
}
