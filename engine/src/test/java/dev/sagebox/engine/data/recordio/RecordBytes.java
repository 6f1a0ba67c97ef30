package dev.sagebox.engine.data.recordio;

import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: records built with the generated classes, framed with {@link RecordIOWriter} or by hand. */
public final class RecordBytes {
  private RecordBytes() {}

  public static Value f32(float... values) {
    Float32Tensor.Builder t = Float32Tensor.newBuilder();
    for (float v : values) {
      t.addValues(v);
    }
    return Value.newBuilder().setFloat32Tensor(t).build();
  }

  /** A sparse Float32Tensor: {@code keys[i]} holds {@code values[i]}, shape {@code [width]}. */
  public static Value sparse(long width, long[] keys, float[] values) {
    Float32Tensor.Builder t = Float32Tensor.newBuilder().addShape(width);
    for (int i = 0; i < keys.length; i++) {
      t.addKeys(keys[i]);
    }
    for (float v : values) {
      t.addValues(v);
    }
    return Value.newBuilder().setFloat32Tensor(t).build();
  }

  public static Record record(Value features, Value label) {
    Record.Builder r = Record.newBuilder();
    if (features != null) {
      r.putFeatures("values", features);
    }
    if (label != null) {
      r.putLabel("values", label);
    }
    return r.build();
  }

  /** RecordIO framing of each record, as SageMaker writes it. */
  public static byte[] framed(Record... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordIOWriter w = new RecordIOWriter(out);
    for (Record r : records) {
      w.write(r.toByteArray());
    }
    return out.toByteArray();
  }

  /** Raw payloads framed (they need not be protobuf). */
  public static byte[] framedPayloads(byte[]... payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordIOWriter w = new RecordIOWriter(out);
    for (byte[] p : payloads) {
      w.write(p);
    }
    return out.toByteArray();
  }

  /** One part header: magic, then the length word with {@code flag} in its top 3 bits. */
  public static byte[] header(int flag, int length) {
    int word = flag << 29 | length;
    return new byte[] {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE,
        (byte) word, (byte) (word >>> 8), (byte) (word >>> 16), (byte) (word >>> 24)};
  }

  /**
   * Frames a payload the way dmlc's RecordIO writer does: wherever the magic word sits at a 4-byte boundary inside
   * it, the payload is cut there and the word dropped; parts are flagged 1 (first), 2 (middle), 3 (last), or 0 when
   * there was nothing to cut.
   */
  public static byte[] dmlcFramed(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<int[]> cuts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 4 <= payload.length; i += 4) {
      if (RecordIOReader.littleEndian(payload, i) == RecordIOReader.MAGIC) {
        cuts.add(new int[] {start, i});
        start = i + 4;
      }
    }
    for (int k = 0; k < cuts.size(); k++) {
      int[] c = cuts.get(k);
      out.writeBytes(header(k == 0 ? 1 : 2, c[1] - c[0]));
      out.write(payload, c[0], c[1] - c[0]);
    }
    int rest = payload.length - start;
    out.writeBytes(header(cuts.isEmpty() ? 0 : 3, rest));
    out.write(payload, start, rest);
    out.write(new byte[3], 0, -rest & 3);
    return out.toByteArray();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
