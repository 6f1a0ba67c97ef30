package dev.sagebox.engine.data.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The common CSV number, read eight bytes at a time: an optional minus, 1 to 7 digits, and optionally a point and 1
 * to 7 digits, directly followed by the delimiter or a line end ({@code 0.30472,}, {@code -17.5\n}, {@code 3\r}).
 * Each run of digits is found and converted with a handful of 64-bit operations (no loop per digit, no branch on
 * its length), and the value is rounded exactly as {@link Float#parseFloat} rounds it.
 *
 * <p>Anything else (blanks, exponents, {@code nan}, quotes, {@code +}, {@code .5}, {@code 5.}, longer digit runs, an
 * empty field) is declined, and the caller reads that field with the general scanner. A read looks at most
 * {@link #LOOKAHEAD} bytes from the field's start, so callers use it only where that many bytes of input remain.
 */
final class PlainDecimal {
  /** Bytes from a field's start that a read may look at: the sign, 8 bytes, and 8 more after the point. */
  static final int LOOKAHEAD = 17;
  /** Returned when the field is not a plain decimal. */
  static final long DECLINED = -1L;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ZEROS = 0x3030303030303030L;
  private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
  private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
  private static final long SIXES = 0x0606060606060606L;
  private static final long SIXTEENS = 0x1010101010101010L;
  private static final float[] FLOAT_POW10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f};
  private static final double[] DOUBLE_POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
  private static final long[] LONG_POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L};
  private static final double[] DOUBLE_NEG_POW10 = {1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7};
  private static final long TWO_24 = 1L << 24;
  /** The low 29 bits of a double's mantissa: what narrowing it to float drops. */
  private static final long DROPPED_BITS = 0x1FFFFFFFL;
  /** Those bits of a double exactly halfway between two floats. */
  private static final long HALFWAY = 0x10000000L;
  /** Units in the last place, either side of halfway, within which a multiplied quotient is divided exactly. */
  private static final long NEAR_HALFWAY = 4;
  /** Marks a value that {@link #floatBits} cannot round exactly (never the bits of a positive float from it). */
  static final int NOT_SINGLY_ROUNDED = -1;

  private PlainDecimal() {}

  /**
   * Reads the field starting at {@code p}. Returns the position of the byte after the number (the delimiter or line
   * end) in the high 32 bits and the float's bits in the low 32, or {@link #DECLINED}.
   */
  static long read(byte[] b, int p, byte delimiter) {
    // 1 for a minus, without a branch (signs are as unpredictable as the data).
    int sign = (((b[p] & 0xFF) ^ '-') - 1) >>> 31;
    int q = p + sign;
    long digits = (long) LONGS.get(b, q) ^ ZEROS;
    int intDigits = Long.numberOfTrailingZeros(nonDigits(digits)) >>> 3;
    if (intDigits == 0 || intDigits == 8) {
      return DECLINED;
    }
    long mantissa = value(digits, intDigits);
    q += intDigits;
    int scale = 0;
    byte c = b[q];
    if (c == '.') {
      long fraction = (long) LONGS.get(b, q + 1) ^ ZEROS;
      scale = Long.numberOfTrailingZeros(nonDigits(fraction)) >>> 3;
      if (scale == 0 || scale == 8) {
        return DECLINED;
      }
      mantissa = mantissa * LONG_POW10[scale] + value(fraction, scale);
      q += 1 + scale;
      c = b[q];
    }
    if (c != delimiter && c != '\n' && c != '\r') {
      return DECLINED;
    }
    int bits = floatBits(mantissa, scale);
    if (bits == NOT_SINGLY_ROUNDED) {
      return DECLINED;
    }
    return ((long) q << 32) | ((bits | (sign << 31)) & 0xFFFFFFFFL);
  }

  /**
   * Reads the field from {@code p} to {@code end} (its delimiter or line end, already found) when it is a plain
   * decimal, as {@link #read} would: returns the float's bits in the low 32 bits, or {@link #DECLINED}. A field of
   * at most eight characters after the minus (the common {@code 0.30472}, {@code -13.78450}) is checked and converted
   * from one 8-byte word: the point is found among the field's non-digits and squeezed out, and the digits are then
   * converted as one run. Longer fields go through {@link #read}.
   */
  static long readField(byte[] b, int p, int end, byte delimiter) {
    int sign = (((b[p] & 0xFF) ^ '-') - 1) >>> 31;
    int q = p + sign;
    int n = end - q;
    if (n > 8) {
      long r = read(b, p, delimiter);
      return r == DECLINED || end(r) != end ? DECLINED : r & 0xFFFFFFFFL;
    }
    if (n < 1) {
      return DECLINED;
    }
    long w = (long) LONGS.get(b, q) ^ ZEROS;
    long odd = nonDigits(w) & (-1L >>> ((8 - n) << 3));
    long mantissa;
    int scale;
    if (odd == 0) {
      if (n == 8) {
        return DECLINED; // eight integer digits: more than read() takes
      }
      mantissa = value(w, n);
      scale = 0;
    } else {
      int dotShift = Long.numberOfTrailingZeros(odd) & ~7;
      int dot = dotShift >>> 3;
      scale = n - 1 - dot;
      // The point, not first or last, and no other non-digit after it (a shift of 64 would wrap: dot < n - 1 <= 7).
      if (((w >>> dotShift) & 0xFF) != ('.' ^ '0') || dot == 0 || scale <= 0 || (odd >>> (dotShift + 8)) != 0) {
        return DECLINED;
      }
      long below = (1L << dotShift) - 1;
      mantissa = value((w & below) | ((w >>> 8) & ~below), n - 1);
    }
    int bits = floatBits(mantissa, scale);
    if (bits == NOT_SINGLY_ROUNDED) {
      return DECLINED;
    }
    return (bits | (sign << 31)) & 0xFFFFFFFFL;
  }

  /** The bits of the float nearest {@code mantissa / 10^scale} (at most 14 digits), or {@link #NOT_SINGLY_ROUNDED}. */
  static int floatBits(long mantissa, int scale) {
    // A multiplication by the nearest double to 10^-scale instead of a division (several times its cost): the
    // product is within 2 units in the last place of the exact quotient (the mantissa is exact in double), so its
    // rounding to float is the exact quotient's unless a float midpoint lies that close to it. A midpoint's double
    // has 0x10000000 in the 29 bits that the narrowing drops; near that pattern the exact division decides.
    double d = (double) mantissa * DOUBLE_NEG_POW10[scale];
    if (((Double.doubleToRawLongBits(d) - (HALFWAY - NEAR_HALFWAY)) & DROPPED_BITS) > 2 * NEAR_HALFWAY) {
      return Float.floatToRawIntBits((float) d);
    }
    float v;
    if (mantissa < TWO_24) {
      // Both operands exact in float: one correctly rounded operation.
      v = (float) mantissa / FLOAT_POW10[scale];
    } else {
      // At most 14 digits: exact in double, so the quotient is the correctly rounded double; narrowing it to float
      // rounds a second time, which is only wrong when that double lies exactly halfway between two floats.
      double q = (double) mantissa / DOUBLE_POW10[scale];
      if ((Double.doubleToRawLongBits(q) & DROPPED_BITS) == HALFWAY) {
        return NOT_SINGLY_ROUNDED;
      }
      v = (float) q;
    }
    return Float.floatToRawIntBits(v);
  }

  /** The end position of a successful {@link #read}. */
  static int end(long read) {
    return (int) (read >>> 32);
  }

  /** The value of a successful {@link #read}. */
  static float value(long read) {
    return Float.intBitsToFloat((int) read);
  }

  /** Nonzero in the bytes of {@code digits} (bytes XOR '0') that were not digits. */
  private static long nonDigits(long digits) {
    return (digits & HIGH_NIBBLES) | (((digits & LOW_NIBBLES) + SIXES) & SIXTEENS);
  }

  /** The number written by the first {@code count} (1 to 7) digit values of {@code digits}, first most significant. */
  private static long value(long digits, int count) {
    // Push the wanted digits to the top; the vacated low bytes read as leading zeros.
    long x = digits << ((8 - count) << 3);
    x = (x * 10 + (x >>> 8)) & 0x00FF00FF00FF00FFL;
    x = (x * 100 + (x >>> 16)) & 0x0000FFFF0000FFFFL;
    return (x * 10_000 + (x >>> 32)) & 0xFFFFFFFFL;
  }
}
