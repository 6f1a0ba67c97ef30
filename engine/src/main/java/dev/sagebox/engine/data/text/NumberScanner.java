package dev.sagebox.engine.data.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads decimal numbers straight out of a byte array, without creating a String per value: the hot path of every
 * text reader. Numbers of up to 18 significant digits with small exponents are converted with one correctly rounded
 * float operation (or, past float's exact range, through double); anything unusual ({@code nan}, {@code inf},
 * quoted values, 19+ digits, huge exponents) takes the slow, exact {@link Float#parseFloat} path.
 *
 * <p>The scanner is a cursor: {@link #pos} is where the next read starts; a successful read leaves it on the first
 * byte after the number (and after trailing blanks). Not thread-safe; one per thread.
 */
public final class NumberScanner {
  private static final float[] FLOAT_POW10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
  private static final double[] DOUBLE_POW10 = new double[23];
  private static final long TWO_24 = 1L << 24;
  private static final long TWO_53 = 1L << 53;

  static {
    double p = 1;
    for (int i = 0; i < DOUBLE_POW10.length; i++) {
      DOUBLE_POW10[i] = p;
      p *= 10;
    }
  }

  private final byte[] buf;
  private final int end;
  /** The cursor. */
  public int pos;

  public NumberScanner(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  public byte[] buffer() {
    return buf;
  }

  public int end() {
    return end;
  }

  public boolean atEnd() {
    return pos >= end;
  }

  /** Skips spaces (and tabs when {@code tabIsBlank}). */
  public void skipBlanks(boolean tabIsBlank) {
    int p = pos;
    while (p < end && (buf[p] == ' ' || (tabIsBlank && buf[p] == '\t'))) {
      p++;
    }
    pos = p;
  }

  /**
   * Reads a number that must be followed by one of the {@code stop} bytes, a line end or the end of input. Returns
   * {@code Float.NaN} for an empty field. Throws {@link NumberFormatException} (cursor on the field start) if the
   * field is not a number.
   */
  public float readFloat(byte stop1, byte stop2, boolean tabIsBlank) {
    skipBlanks(tabIsBlank);
    final int start = pos;
    int p = start;
    if (p >= end || isStop(buf[p], stop1, stop2)) {
      return Float.NaN;
    }
    boolean negative = false;
    byte c = buf[p];
    if (c == '-') {
      negative = true;
      p++;
    } else if (c == '+') {
      p++;
    }
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    int digitsSeen = 0;
    boolean truncated = false;
    while (p < end) {
      int d = buf[p] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (significant < 18) {
        mantissa = mantissa * 10 + d;
        if (mantissa != 0) {
          significant++;
        }
      } else {
        exponent++;
        truncated |= d != 0;
      }
      digitsSeen++;
      p++;
    }
    if (p < end && buf[p] == '.') {
      p++;
      while (p < end) {
        int d = buf[p] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (significant < 18) {
          mantissa = mantissa * 10 + d;
          if (mantissa != 0) {
            significant++;
          }
          exponent--;
        } else {
          truncated |= d != 0;
        }
        digitsSeen++;
        p++;
      }
    }
    if (digitsSeen == 0) {
      return slowPath(start, stop1, stop2, tabIsBlank);
    }
    if (p < end && (buf[p] == 'e' || buf[p] == 'E')) {
      p++;
      boolean expNegative = false;
      if (p < end && (buf[p] == '-' || buf[p] == '+')) {
        expNegative = buf[p] == '-';
        p++;
      }
      int e = 0;
      int expDigits = 0;
      while (p < end) {
        int d = buf[p] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (e < 100_000) {
          e = e * 10 + d;
        }
        expDigits++;
        p++;
      }
      if (expDigits == 0) {
        return slowPath(start, stop1, stop2, tabIsBlank);
      }
      exponent += expNegative ? -e : e;
    }
    int afterNumber = p;
    while (p < end && (buf[p] == ' ' || (tabIsBlank && buf[p] == '\t'))) {
      p++;
    }
    if (p < end && !isStop(buf[p], stop1, stop2)) {
      return slowPath(start, stop1, stop2, tabIsBlank);
    }
    if (truncated) {
      pos = start;
      return slowPath(start, stop1, stop2, tabIsBlank);
    }
    pos = p;
    float value;
    if (mantissa == 0) {
      value = 0f;
    } else if (mantissa < TWO_24 && exponent >= -10 && exponent <= 10) {
      value = exponent >= 0 ? (float) mantissa * FLOAT_POW10[exponent] : (float) mantissa / FLOAT_POW10[-exponent];
    } else if (mantissa < TWO_53 && exponent >= -22 && exponent <= 22
        && !halfwayBetweenFloats(mantissa, exponent)) {
      double d = exponent >= 0 ? (double) mantissa * DOUBLE_POW10[exponent]
          : (double) mantissa / DOUBLE_POW10[-exponent];
      value = (float) d;
    } else {
      value = Float.parseFloat(new String(buf, start, afterNumber - start, StandardCharsets.ISO_8859_1));
      return value;
    }
    return negative ? -value : value;
  }

  /**
   * Whether {@code mantissa * 10^exponent}, correctly rounded to double, lands exactly halfway between two floats:
   * narrowing that double would round a second time, possibly the wrong way ("4.23482871055603" lies just below
   * such a double, which rounds up). Such values take the exact path.
   */
  private static boolean halfwayBetweenFloats(long mantissa, int exponent) {
    double d = exponent >= 0 ? (double) mantissa * DOUBLE_POW10[exponent] : (double) mantissa / DOUBLE_POW10[-exponent];
    return (Double.doubleToRawLongBits(d) & 0x1FFFFFFFL) == 0x10000000L;
  }

  private static boolean isStop(byte c, byte stop1, byte stop2) {
    return c == stop1 || c == stop2 || c == '\n' || c == '\r';
  }

  private float slowPath(int start, byte stop1, byte stop2, boolean tabIsBlank) {
    int p = start;
    while (p < end && !isStop(buf[p], stop1, stop2)) {
      p++;
    }
    int tokenEnd = p;
    while (tokenEnd > start && (buf[tokenEnd - 1] == ' ' || (tabIsBlank && buf[tokenEnd - 1] == '\t'))) {
      tokenEnd--;
    }
    String token = new String(buf, start, tokenEnd - start, StandardCharsets.ISO_8859_1);
    float value = parseToken(token);
    pos = p;
    return value;
  }

  /** Parses one token exactly; accepts nan/inf spellings of Python and R, and a pair of surrounding quotes. */
  public static float parseToken(String raw) {
    String token = raw.strip();
    if (token.length() >= 2 && token.charAt(0) == '"' && token.charAt(token.length() - 1) == '"') {
      token = token.substring(1, token.length() - 1).strip();
    }
    if (token.isEmpty()) {
      return Float.NaN;
    }
    String lower = token.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "nan", "+nan", "-nan", "na", "null", "none" -> {
        return Float.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Float.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Float.NEGATIVE_INFINITY;
      }
      default -> {
        // fall through to the strict parser below
      }
    }
    char last = lower.charAt(lower.length() - 1);
    if (last == 'f' || last == 'd' || lower.startsWith("0x") || lower.startsWith("-0x")) {
      // Java's parser would accept "1f", "1d" and hex; those are not numbers in a data file.
      throw new NumberFormatException(raw);
    }
    return Float.parseFloat(token);
  }
}
