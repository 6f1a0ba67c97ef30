package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.codec.NpyWriter;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import dev.sagebox.engine.error.UserError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Request bodies read according to the model's input metadata. */
class TensorRequestDecoderTest {
  static final TensorSpec ROWS = new TensorSpec("features", ElementType.FLOAT32, new long[] {-1, 4}, null);
  static final TensorSpec GRAY = new TensorSpec("image", ElementType.FLOAT32, new long[] {-1, 1, 28, 28}, null);
  static final TensorSpec RGB_ANY = new TensorSpec("image", ElementType.FLOAT32, new long[] {-1, 3, -1, -1}, null);
  static final List<TensorSpec> TWO = List.of(
      new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3}, null),
      new TensorSpec("b", ElementType.INT64, new long[] {-1, 2}, null));

  private static TensorRequestDecoder decoder(TensorSpec... inputs) {
    return new TensorRequestDecoder(List.of(inputs), 1_000_000, 2);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] png(int width, int height, int rgb) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void theAcceptedTypesFollowTheInputs() {
    assertThat(decoder(ROWS).acceptedContentTypes()).containsExactly("application/json", "application/x-npy",
        "text/csv", "text/libsvm", "application/jsonlines");
    assertThat(decoder(GRAY).acceptedContentTypes()).containsExactly("application/json", "application/x-npy",
        "image/png", "image/jpeg");
    assertThat(new TensorRequestDecoder(TWO, 1, 1).acceptedContentTypes()).containsExactly("application/json");
    assertThatThrownBy(() -> decoder(GRAY).decode(utf8("1,2"), "text/csv"))
        .isInstanceOf(UnsupportedMediaTypeError.class).hasMessageContaining("image [?,1,28,28]");
    assertThatThrownBy(() -> decoder(GRAY).decode(utf8("1,2"), null)).isInstanceOf(UnsupportedMediaTypeError.class);
  }

  @Test
  void rowsComeFromCsvLibsvmJsonAndJsonLines() {
    TensorRequestDecoder d = decoder(ROWS);
    Tensor csv = d.decode(utf8("1,2,3,4\n5,6,7,8\n"), "text/csv").get("features");
    assertThat(csv.shape()).containsExactly(2, 4);
    assertThat(csv.valueAt(5)).isEqualTo(6.0);
    Tensor svm = d.decode(utf8("0:1 3:4\n1:2\n"), "text/libsvm").get("features");
    assertThat(((Tensor.Floats) svm).values()).containsExactly(1, 0, 0, 4, 0, 2, 0, 0);
    Tensor json = d.decode(utf8("{\"instances\": [{\"features\": [1,2,3,4]}, [5,6,7,8]]}"), "application/json")
        .get("features");
    assertThat(json.shape()).containsExactly(2, 4);
    Tensor lines = d.decode(utf8("[1,2,3,4]\n[5,6,7,8]\n"), "application/jsonlines").get("features");
    assertThat(lines.shape()).containsExactly(2, 4);
    assertThatThrownBy(() -> d.decode(utf8("1,2,3\n"), "text/csv")).isInstanceOf(DataFormatError.class)
        .hasMessageContaining("4");
  }

  @Test
  void aGrayImageIsResizedToTheFixedSizeAndScaledToOne() throws IOException {
    Tensor t = decoder(GRAY).decode(png(56, 40, 0xffffff), "image/png").get("image");
    assertThat(t.shape()).containsExactly(1, 1, 28, 28);
    assertThat(t.valueAt(0)).isEqualTo(1.0);
    assertThat(t.valueAt(28 * 28 - 1)).isEqualTo(1.0);
  }

  @Test
  void anRgbImageKeepsItsOwnSizeForDynamicAxesInChannelOrder() throws IOException {
    Tensor t = decoder(RGB_ANY).decode(png(6, 5, 0xff0033), "image/png").get("image");
    assertThat(t.shape()).containsExactly(1, 3, 5, 6);
    assertThat(t.valueAt(0)).isEqualTo(1.0);
    assertThat(t.valueAt(30)).isEqualTo(0.0);
    assertThat((float) t.valueAt(60)).isEqualTo(0x33 / 255f);
  }

  @Test
  void imagesOverThePixelBudgetAndNonImagesAreRefused() throws IOException {
    TensorRequestDecoder small = new TensorRequestDecoder(List.of(GRAY), 100, 1);
    assertThatThrownBy(() -> small.decode(png(20, 20, 0), "image/png")).isInstanceOf(UserError.class)
        .hasMessageContaining("images up to 100 pixels");
    assertThatThrownBy(() -> decoder(GRAY).decode(utf8("hello"), "image/jpeg"))
        .hasMessageContaining("not a readable PNG or JPEG");
  }

  @Test
  void nestedJsonAndNpyOfOneInstanceGetTheBatchAxis() {
    String row = "[" + "0,".repeat(27) + "1]";
    String channel = "[" + (row + ",").repeat(27) + row + "]";
    Tensor one = decoder(GRAY).decode(utf8("[" + channel + "]"), "application/json").get("image");
    assertThat(one.shape()).containsExactly(1, 1, 28, 28);
    assertThat(one.valueAt(27)).isEqualTo(1.0);
    Tensor two = decoder(GRAY).decode(utf8("{\"instances\": [[" + channel + "], [" + channel + "]]}"),
        "application/json").get("image");
    assertThat(two.shape()).containsExactly(2, 1, 28, 28);
    Tensor wrapped = decoder(ROWS).decode(NpyWriter.write(new Tensor.Floats(new long[] {4},
        new float[] {1, 2, 3, 4})), "application/x-npy").get("features");
    assertThat(wrapped.shape()).containsExactly(1, 4);
  }

  @Test
  void severalInputsComeByName() {
    TensorRequestDecoder d = new TensorRequestDecoder(TWO, 1, 1);
    Map<String, Tensor> t = d.decode(utf8("{\"inputs\": {\"a\": [[1,2,3]], \"b\": [[4,5]]}}"), "application/json");
    assertThat(t.get("a").shape()).containsExactly(1, 3);
    assertThat(t.get("b").shape()).containsExactly(1, 2);
    assertThatThrownBy(() -> d.decode(utf8("{\"instances\": [[1,2,3]]}"), "application/json"))
        .isInstanceOf(UserError.class).hasMessageContaining("has 2 inputs").hasMessageContaining("\"inputs\"");
  }
}
