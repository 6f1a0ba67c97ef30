package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.onnx.OnnxTestModels;
import dev.sagebox.engine.onnx.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The .npy reader and writer: numpy's own file, round trips of every type, and hostile bodies. */
class NpyCodecTest {
  private final NpyReader reader = new NpyReader("request body");

  /** An .npy body with the given header dict (format 1.0, padded as numpy pads) and data bytes. */
  static byte[] npy(String dict, byte[] data) {
    return npy(1, dict, data);
  }

  static byte[] npy(int major, String dict, byte[] data) {
    int pre = major == 1 ? 10 : 12;
    int unpadded = pre + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(pre + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(NpyReader.MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void readsTheArrayNumpySaveWrote() throws Exception {
    byte[] body = Files.readAllBytes(OnnxTestModels.folder().resolve("cnn_input.npy"));
    Tensor t = reader.read(body);
    assertThat(t).isInstanceOf(Tensor.Floats.class);
    assertThat(t.shape()).containsExactly(2, 1, 28, 28);
    Tensor expected = OnnxTestModels.recorded("cnn", "inputs").get("image");
    for (int i = 0; i < expected.size(); i++) {
      assertThat((float) t.valueAt(i)).isEqualTo((float) expected.valueAt(i));
    }
  }

  @Test
  void everyTypeRoundTripsThroughTheWriter() {
    Tensor[] tensors = {
        new Tensor.Floats(new long[] {2, 2}, new float[] {1.5f, -2, Float.NaN, 4}),
        new Tensor.Doubles(new long[] {3}, new double[] {1e-300, 2, 3}),
        new Tensor.Ints(new long[] {1, 1, 2}, new int[] {Integer.MIN_VALUE, 7}),
        new Tensor.Longs(new long[] {2}, new long[] {Long.MAX_VALUE, -1}),
        new Tensor.Floats(new long[] {}, new float[] {3}),
        new Tensor.Floats(new long[] {0, 4}, new float[0])};
    for (Tensor t : tensors) {
      byte[] bytes = NpyWriter.write(t);
      assertThat((bytes.length - t.size() * t.type().bytes()) % 64).isZero();
      Tensor back = reader.read(bytes);
      assertThat(back.type()).isEqualTo(t.type());
      assertThat(back.shape()).containsExactly(t.shape());
      for (int i = 0; i < t.size(); i++) {
        assertThat(Double.valueOf(back.valueAt(i))).isEqualTo(Double.valueOf(t.valueAt(i)));
      }
    }
    String header = new String(NpyWriter.write(tensors[1]), 0, 128, StandardCharsets.ISO_8859_1);
    assertThat(header).contains("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }");
  }

  @Test
  void readsFormat2AndUint8() {
    Tensor t = reader.read(npy(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
        new byte[] {0, (byte) 200, 7}));
    assertThat(t).isInstanceOf(Tensor.Ints.class);
    assertThat(((Tensor.Ints) t).values()).containsExactly(0, 200, 7);
  }

  @Test
  void fortranOrderIsRefused() {
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }",
        floats(1, 2)))).isInstanceOf(UserError.class).hasMessageContaining("Fortran")
        .hasMessageContaining("ascontiguousarray");
  }

  @Test
  void bigEndianObjectAndOtherDtypesAreRefusedListingWhatIsAccepted() {
    assertThatThrownBy(() -> reader.read(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
        floats(1, 2)))).hasMessageContaining("big-endian").hasMessageContaining("'<f4'");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
        new byte[8]))).hasMessageContaining("Python objects");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }",
        new byte[2]))).hasMessageContaining("dtype '<f2'").hasMessageContaining("accepted");
    assertThatThrownBy(() -> reader.read(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
        new byte[4]))).hasMessageContaining("structured");
  }

  @Test
  void truncationAndTrailingBytesAreRefused() {
    byte[] whole = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", floats(1, 2, 3, 4));
    assertThatThrownBy(() -> reader.read(Arrays.copyOf(whole, whole.length - 1)))
        .hasMessageContaining("cut short").hasMessageContaining("needs 16 bytes of data, 15 follow");
    assertThatThrownBy(() -> reader.read(Arrays.copyOf(whole, 40))).hasMessageContaining("cut short")
        .hasMessageContaining("header declares");
    assertThatThrownBy(() -> reader.read(Arrays.copyOf(whole, 9))).hasMessageContaining("not an .npy");
    byte[] longer = Arrays.copyOf(whole, whole.length + 3);
    assertThatThrownBy(() -> reader.read(longer)).hasMessageContaining("3 bytes after the data");
  }

  @Test
  void hostileHeadersAreRefusedWithoutAllocatingTheDeclaredSize() {
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f8', 'fortran_order': False, "
        + "'shape': (100000, 100000, 100000), }", new byte[0]))).isInstanceOf(UserError.class)
        .hasMessageContaining("more values");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
        new byte[0]))).hasMessageContaining("malformed .npy header");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f4', 'shape': (1,), }", new byte[4])))
        .hasMessageContaining("lacks");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }",
        new byte[4]))).hasMessageContaining("True or False");
    assertThatThrownBy(() -> reader.read(npy("{'descr': '<f4", new byte[4]))).hasMessageContaining("not closed");
    byte[] v3 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats(1));
    v3[6] = 3;
    assertThatThrownBy(() -> reader.read(v3)).hasMessageContaining("version 3.0");
    ByteArrayOutputStream junk = new ByteArrayOutputStream();
    junk.writeBytes(NpyReader.MAGIC);
    junk.writeBytes(new byte[] {1, 0, (byte) 0xff, (byte) 0xff});
    assertThatThrownBy(() -> reader.read(junk.toByteArray())).hasMessageContaining("cut short");
  }
}
