package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An XGBoost model file (JSON or UBJSON, as XGBoost saves them) read into plain values, for {@link ModelStructure}
 * to check before the file reaches XGBoost's native loader: objects as maps, lists as lists, UBJSON's typed number
 * arrays as {@code long[]} or {@code double[]}, numbers as Long or Double. Nesting deeper than {@link #MAX_DEPTH}
 * (XGBoost's own models nest about 8 deep) and malformed input end with {@link Malformed}.
 */
final class ModelDocument {
  static final int MAX_DEPTH = 64;

  /** The file is not a readable JSON or UBJSON document. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private ModelDocument() {}

  /** Whether XGBoost would read {@code bytes} as JSON (else UBJSON): a '{' followed by a quote or a blank. */
  static boolean isJson(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    if (i + 1 >= bytes.length || bytes[i] != '{') {
      return true;
    }
    byte next = bytes[i + 1];
    return next == '"' || next == '}' || Character.isWhitespace(next);
  }

  static Object read(byte[] bytes) throws Malformed {
    return isJson(bytes) ? json(bytes) : new Ubjson(ByteBuffer.wrap(bytes)).value(0);
  }

  private static Object json(byte[] bytes) throws Malformed {
    try (JsonParser p = new JsonFactory().createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new Malformed("the file is empty");
      }
      return jsonValue(p, t, 0);
    } catch (IOException e) {
      throw new Malformed("not valid JSON: " + dev.sagebox.engine.codec.JsonProblems.describe(e));
    }
  }

  private static Object jsonValue(JsonParser p, JsonToken t, int depth) throws IOException, Malformed {
    if (depth > MAX_DEPTH) {
      throw new Malformed("nested more than " + MAX_DEPTH + " levels deep");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, jsonValue(p, p.nextToken(), depth + 1));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(jsonValue(p, e, depth + 1));
        }
        return l;
      }
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return t == JsonToken.VALUE_TRUE;
      }
      default -> {
        return null;
      }
    }
  }

  /** UBJSON (Draft 12, as XGBoost writes it: big-endian numbers, optimised typed containers). */
  private static final class Ubjson {
    private final ByteBuffer in;

    Ubjson(ByteBuffer in) {
      this.in = in;
    }

    Object value(int depth) throws Malformed {
      return value(marker(), depth);
    }

    private byte marker() throws Malformed {
      byte m;
      do {
        need(1);
        m = in.get();
      } while (m == 'N');
      return m;
    }

    private Object value(byte m, int depth) throws Malformed {
      if (depth > MAX_DEPTH) {
        throw new Malformed("nested more than " + MAX_DEPTH + " levels deep");
      }
      return switch (m) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case 'Z' -> null;
        case 'T' -> Boolean.TRUE;
        case 'F' -> Boolean.FALSE;
        case 'i', 'U', 'I', 'l', 'L' -> integer(m);
        case 'd' -> (double) f32();
        case 'D' -> f64();
        case 'C' -> String.valueOf((char) (integer((byte) 'U')));
        case 'S', 'H' -> string();
        default -> throw new Malformed("unknown UBJSON marker 0x" + Integer.toHexString(m & 0xFF) + " at byte "
            + (in.position() - 1));
      };
    }

    /** A container's optional {@code $type} and {@code #count}; {@code next} is the marker after them. */
    private record Header(byte type, long count, byte next) {}

    private Header header(String kind) throws Malformed {
      byte type = 0;
      long count = -1;
      byte next = marker();
      if (next == '$') {
        type = marker();
        next = marker();
      }
      if (next == '#') {
        count = length(marker());
      } else if (type != 0) {
        throw new Malformed("a typed UBJSON " + kind + " without a count at byte " + in.position());
      }
      return new Header(type, count, next);
    }

    private Map<String, Object> object(int depth) throws Malformed {
      Map<String, Object> m = new LinkedHashMap<>();
      Header h = header("object");
      for (long i = 0; h.count() < 0 || i < h.count(); i++) {
        if (h.count() < 0) {
          byte k = i == 0 ? h.next() : marker();
          if (k == '}') {
            return m;
          }
          m.put(key(k), value(depth + 1));
        } else {
          String key = key(marker());
          m.put(key, h.type() != 0 ? value(h.type(), depth + 1) : value(depth + 1));
        }
      }
      return m;
    }

    private String key(byte lengthMarker) throws Malformed {
      int n = (int) length(lengthMarker);
      need(n);
      byte[] b = new byte[n];
      in.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    private Object array(int depth) throws Malformed {
      Header h = header("array");
      if (h.type() != 0 && h.count() >= 0) {
        return typed(h.type(), h.count(), depth);
      }
      List<Object> l = new ArrayList<>();
      for (long i = 0; h.count() < 0 || i < h.count(); i++) {
        byte e = h.count() < 0 && i == 0 ? h.next() : marker();
        if (h.count() < 0 && e == ']') {
          return l;
        }
        l.add(value(e, depth + 1));
      }
      return l;
    }

    /** A typed array: numbers as one primitive array (checked against the bytes left before it is allocated). */
    private Object typed(byte type, long count, int depth) throws Malformed {
      int width = switch (type) {
        case 'i', 'U' -> 1;
        case 'I' -> 2;
        case 'l', 'd' -> 4;
        case 'L', 'D' -> 8;
        default -> 0;
      };
      if (width == 0) {
        List<Object> l = new ArrayList<>();
        for (long i = 0; i < count; i++) {
          l.add(value(type, depth + 1));
        }
        return l;
      }
      if (count > in.remaining() / width) {
        throw new Malformed("a typed array declares " + count + " values but the file ends before them");
      }
      if (type == 'd' || type == 'D') {
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) {
          v[i] = type == 'd' ? f32() : f64();
        }
        return v;
      }
      long[] v = new long[(int) count];
      for (int i = 0; i < v.length; i++) {
        v[i] = integer(type);
      }
      return v;
    }

    private long length(byte m) throws Malformed {
      long n = integer(m);
      if (n < 0 || n > in.remaining() + 16L) {
        throw new Malformed("a UBJSON length of " + n + " at byte " + in.position() + " runs past the end of the file");
      }
      return n;
    }

    private long integer(byte m) throws Malformed {
      switch (m) {
        case 'i' -> {
          need(1);
          return in.get();
        }
        case 'U' -> {
          need(1);
          return in.get() & 0xFF;
        }
        case 'I' -> {
          need(2);
          return in.getShort();
        }
        case 'l' -> {
          need(4);
          return in.getInt();
        }
        case 'L' -> {
          need(8);
          return in.getLong();
        }
        default -> throw new Malformed("expected a UBJSON integer at byte " + (in.position() - 1));
      }
    }

    private float f32() throws Malformed {
      need(4);
      return in.getFloat();
    }

    private double f64() throws Malformed {
      need(8);
      return in.getDouble();
    }

    private String string() throws Malformed {
      int n = (int) length(marker());
      need(n);
      byte[] b = new byte[n];
      in.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    private void need(int n) throws Malformed {
      if (in.remaining() < n) {
        throw new Malformed("the file ends in the middle of a value (byte " + in.position() + ")");
      }
    }
  }
}
