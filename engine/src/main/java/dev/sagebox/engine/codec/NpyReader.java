package dev.sagebox.engine.codec;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.onnx.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one NumPy {@code .npy} array ({@code application/x-npy}, what {@code numpy.save} writes): format versions
 * 1.0 and 2.0, little-endian {@code f4}, {@code f8}, {@code i4}, {@code i8} (and {@code u1}, read as int32), C order.
 * Everything else is refused with a message that says what was found and what is accepted: Fortran order,
 * big-endian data, object or other dtypes, a header or data cut short, bytes after the data.
 */
public final class NpyReader {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final String ACCEPTED = "little-endian float32, float64, int32, int64 or uint8 ('<f4', '<f8', "
      + "'<i4', '<i8', '|u1'), C order, .npy format 1.0 or 2.0 as numpy.save writes";

  private final String source;

  public NpyReader(String source) {
    this.source = source;
  }

  /** Reads the whole body as one array; a 0-dimensional array reads as shape {@code []}. */
  public Tensor read(byte[] body) {
    if (body.length < 10 || !startsWithMagic(body)) {
      throw error("is not an .npy array (it does not start with \\x93NUMPY); send the bytes numpy.save writes");
    }
    int major = body[6] & 0xff;
    int minor = body[7] & 0xff;
    long headerLength;
    int headerStart;
    if (major == 1 && minor == 0) {
      headerLength = (body[8] & 0xff) | (body[9] & 0xff) << 8;
      headerStart = 10;
    } else if (major == 2 && minor == 0) {
      if (body.length < 12) {
        throw error("ends inside the .npy preamble");
      }
      headerLength = ByteBuffer.wrap(body, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      headerStart = 12;
    } else {
      throw error("is .npy format version " + major + "." + minor + "; accepted: 1.0 and 2.0");
    }
    if (headerStart + headerLength > body.length) {
      throw error("is cut short: the .npy header declares " + headerLength + " bytes, " + (body.length
          - headerStart) + " follow");
    }
    String header = new String(body, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
    Header h = new HeaderParser(header).parse();
    int dataStart = headerStart + (int) headerLength;
    int count = tensorSize(h.shape);
    long expected = (long) count * h.itemSize;
    long actual = body.length - (long) dataStart;
    if (actual < expected) {
      throw error("is cut short: shape " + Tensor.describe(h.shape) + " of '" + h.descr + "' needs "
          + expected + " bytes of data, " + actual + " follow");
    }
    if (actual > expected) {
      throw error("has " + (actual - expected) + " bytes after the data of shape " + Tensor.describe(h.shape)
          + " ('" + h.descr + "'); send one array per request");
    }
    ByteBuffer data = ByteBuffer.wrap(body, dataStart, (int) expected).order(ByteOrder.LITTLE_ENDIAN);
    return switch (h.descr.substring(1)) {
      case "f4" -> {
        float[] v = new float[count];
        data.asFloatBuffer().get(v);
        yield new Tensor.Floats(h.shape, v);
      }
      case "f8" -> {
        double[] v = new double[count];
        data.asDoubleBuffer().get(v);
        yield new Tensor.Doubles(h.shape, v);
      }
      case "i4" -> {
        int[] v = new int[count];
        data.asIntBuffer().get(v);
        yield new Tensor.Ints(h.shape, v);
      }
      case "i8" -> {
        long[] v = new long[count];
        data.asLongBuffer().get(v);
        yield new Tensor.Longs(h.shape, v);
      }
      default -> {
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
          v[i] = data.get(dataStart + i) & 0xff;
        }
        yield new Tensor.Ints(h.shape, v);
      }
    };
  }

  private int tensorSize(long[] shape) {
    try {
      return Tensor.sizeOf(shape);
    } catch (UserError e) {
      throw error("declares " + e.getMessage());
    }
  }

  private static boolean startsWithMagic(byte[] body) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return sb.toString();
  }

  private UserError error(String problem) {
    return new UserError(source + " " + problem);
  }

  private record Header(String descr, int itemSize, long[] shape) {}

  /** The header is a Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }. */
  private final class HeaderParser {
    private final String text;
    private int pos;

    HeaderParser(String text) {
      this.text = text;
    }

    Header parse() {
      String descr = null;
      Boolean fortran = null;
      long[] shape = null;
      skipSpace();
      expect('{');
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        switch (key) {
          case "descr" -> descr = peek() == '[' ? structured() : string();
          case "fortran_order" -> fortran = bool();
          case "shape" -> shape = tuple();
          default -> throw bad("unknown key '" + key + "'");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        }
      }
      if (descr == null || fortran == null || shape == null) {
        throw bad("it lacks 'descr', 'fortran_order' or 'shape'");
      }
      if (fortran) {
        throw error("is in Fortran (column-major) order; send a C-ordered array (numpy.ascontiguousarray(a))");
      }
      return new Header(descr, itemSize(descr), shape);
    }

    private int itemSize(String descr) {
      if (descr.contains("O")) {
        throw error("holds Python objects (dtype '" + descr + "'); accepted: " + ACCEPTED);
      }
      if (descr.startsWith(">")) {
        throw error("is big-endian (dtype '" + descr + "'); accepted: " + ACCEPTED
            + " (a.astype(a.dtype.newbyteorder('<')))");
      }
      return switch (descr) {
        case "<f4" -> 4;
        case "<f8" -> 8;
        case "<i4" -> 4;
        case "<i8" -> 8;
        case "|u1" -> 1;
        default -> throw error("has dtype '" + descr + "'; accepted: " + ACCEPTED);
      };
    }

    private String structured() {
      throw error("holds a structured array (record dtype); accepted: " + ACCEPTED);
    }

    private String string() {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw bad("expected a quoted string at character " + (pos + 1));
      }
      int end = text.indexOf(q, pos + 1);
      if (end < 0) {
        throw bad("a string is not closed");
      }
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }

    private boolean bool() {
      if (text.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      throw bad("'fortran_order' must be True or False");
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (true) {
        skipSpace();
        char c = peek();
        if (c == ')') {
          pos++;
          break;
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (start == pos || pos - start > 12) {
          throw bad("'shape' must be a tuple of non-negative integers");
        }
        dims.add(Long.parseLong(text.substring(start, pos)));
        if (text.startsWith("L", pos)) {
          pos++;
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        }
        if (dims.size() > 32) {
          throw bad("'shape' has more than 32 dimensions");
        }
      }
      return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private void expect(char c) {
      if (peek() != c) {
        throw bad("expected '" + c + "' at character " + (pos + 1));
      }
      pos++;
    }

    private char peek() {
      if (pos >= text.length()) {
        throw bad("it ends early");
      }
      return text.charAt(pos);
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private UserError bad(String problem) {
      String shown = text.length() > 120 ? text.substring(0, 117) + "..." : text.strip();
      return error("has a malformed .npy header (" + problem + "): " + printable(shown));
    }
  }
}
