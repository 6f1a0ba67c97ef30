package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from a legacy XGBoost binary model that never run past its end: every read first checks the
 * bytes left, and every count read from the file is checked against the bytes left before anything is allocated
 * for it, so a truncated or corrupt file is a {@link UserError} naming the file, the byte offset and what was
 * expected there.
 */
final class LegacyBinaryReader {
  private final ByteBuffer buffer;
  private final String name;

  LegacyBinaryReader(byte[] bytes, String name) {
    this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    this.name = name;
  }

  int position() {
    return buffer.position();
  }

  int remaining() {
    return buffer.remaining();
  }

  /** Makes sure {@code bytes} more can be read, for {@code what}. */
  void need(long bytes, String what) {
    if (bytes > buffer.remaining()) {
      throw error(buffer.position(), "expected " + what + " (" + bytes + " byte" + (bytes == 1 ? "" : "s")
          + ") but the file ends " + (buffer.remaining() == 0 ? "there" : "after " + buffer.remaining() + " more"));
    }
  }

  void skip(int bytes, String what) {
    need(bytes, what);
    buffer.position(buffer.position() + bytes);
  }

  int i32(String what) {
    need(4, what);
    return buffer.getInt();
  }

  long u32(String what) {
    return Integer.toUnsignedLong(i32(what));
  }

  float f32(String what) {
    need(4, what);
    return buffer.getFloat();
  }

  /** A 64-bit count or length, unsigned as XGBoost writes it (a value past 2^63 reads as negative). */
  long u64(String what) {
    need(8, what);
    return buffer.getLong();
  }

  /**
   * A count of items of at least {@code minItemBytes} bytes each, read {@code countOffset} earlier, that must fit
   * in what is left of the file; returned as an int that is safe to allocate.
   */
  int count(long count, int countOffset, long minItemBytes, String what) {
    long left = buffer.remaining();
    if (count < 0 || count > Integer.MAX_VALUE || minItemBytes > 0 && count > left / minItemBytes) {
      throw error(countOffset, "the file says " + Long.toUnsignedString(count) + " " + what + ", but only " + left
          + " bytes are left, room for at most " + (minItemBytes > 0 ? left / minItemBytes : 0)
          + " (corrupt or truncated file)");
    }
    return (int) count;
  }

  /** A string as dmlc writes it: a 64-bit length, then that many bytes (UTF-8). */
  String string(String what) {
    int at = position();
    int length = count(u64("the length of " + what), at, 1, "bytes of " + what);
    return chars(length, what);
  }

  /** {@code length} bytes of UTF-8 text. */
  String chars(int length, String what) {
    need(length, what);
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code n} little-endian floats; the caller has checked that they fit. */
  float[] floats(int n, String what) {
    need(4L * n, what);
    float[] out = new float[n];
    buffer.asFloatBuffer().get(out);
    buffer.position(buffer.position() + 4 * n);
    return out;
  }

  /** {@code n} little-endian int32s; the caller has checked that they fit. */
  int[] ints(int n, String what) {
    need(4L * n, what);
    int[] out = new int[n];
    buffer.asIntBuffer().get(out);
    buffer.position(buffer.position() + 4 * n);
    return out;
  }

  /** A std::vector<float> as dmlc writes it: a 64-bit count, then the floats. */
  float[] floatVector(String what) {
    int at = position();
    int n = count(u64("the number of " + what), at, 4, what);
    return floats(n, what);
  }

  UserError error(int offset, String message) {
    return new UserError(name + ": not a readable XGBoost legacy binary model: at byte " + offset + ", " + message);
  }
}
