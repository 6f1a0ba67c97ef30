package dev.sagebox.engine.codec;

import dev.sagebox.engine.onnx.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes one tensor as a NumPy {@code .npy} array, format 1.0 (2.0 when the header needs it), little-endian, C
 * order, the header padded so that the data starts at a multiple of 64 bytes, as {@code numpy.save} does.
 */
public final class NpyWriter {
  private NpyWriter() {}

  public static byte[] write(Tensor t) {
    StringBuilder dict = new StringBuilder("{'descr': '").append(t.type().npyDescriptor())
        .append("', 'fortran_order': False, 'shape': (");
    long[] shape = t.shape();
    for (int i = 0; i < shape.length; i++) {
      dict.append(i > 0 ? ", " : "").append(shape[i]);
    }
    dict.append(shape.length == 1 ? ",), }" : "), }");
    int preamble = 10;
    int version = 1;
    int unpadded = preamble + dict.length() + 1;
    if (unpadded + 63 > 65535 + preamble) {
      version = 2;
      preamble = 12;
      unpadded = preamble + dict.length() + 1;
    }
    int total = (unpadded + 63) / 64 * 64;
    dict.append(" ".repeat(total - unpadded)).append('\n');
    byte[] header = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(total + t.size() * t.type().bytes()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(NpyReader.MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) {
      out.putShort((short) header.length);
    } else {
      out.putInt(header.length);
    }
    out.put(header);
    if (t instanceof Tensor.Floats f) {
      out.asFloatBuffer().put(f.values());
    } else if (t instanceof Tensor.Doubles d) {
      out.asDoubleBuffer().put(d.values());
    } else if (t instanceof Tensor.Ints i) {
      out.asIntBuffer().put(i.values());
    } else {
      out.asLongBuffer().put(((Tensor.Longs) t).values());
    }
    return out.array();
  }
}
