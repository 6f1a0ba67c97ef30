package dev.sagebox.engine.data.recordio;

import com.google.protobuf.CodedInputStream;
import dev.sagebox.engine.data.recordio.TensorBuffer.Kind;
import java.io.IOException;
import java.util.Arrays;

/**
 * The fast path of {@link RecordIOProtobufReader}: decodes {@code features["values"]} and {@code label["values"]}
 * of a serialized {@code aialgs.data.Record} straight into {@link TensorBuffer}s with protobuf-java's
 * {@link CodedInputStream}, without building message objects (parsing each record into the generated classes costs
 * several times more than the framing). Field numbers are those of {@code record.proto}.
 *
 * <p>It handles what writers produce: packed or unpacked repeated fields, map entries in either field order,
 * repeated map keys (the last wins, as in protobuf), unknown fields. Anything else (a Bytes or empty value, a
 * missing entry, a value field or oneof given twice, which protobuf merges, malformed bytes) makes {@link #scan}
 * return false, and the caller parses the record with the generated classes, which decide what it means or say
 * what is wrong with it.
 */
final class RecordScanner {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int FIXED32 = 5;
  // Record: map<string, Value> features = 1, label = 2. A map entry: key = 1, value = 2.
  private static final int FEATURES = 1 << 3 | LEN;
  private static final int LABEL = 2 << 3 | LEN;
  private static final int ENTRY_KEY = 1 << 3 | LEN;
  private static final int ENTRY_VALUE = 2 << 3 | LEN;
  // Value: oneof float32_tensor = 2, float64_tensor = 3, int32_tensor = 7, bytes = 9.
  private static final int FLOAT32_TENSOR = 2 << 3 | LEN;
  private static final int FLOAT64_TENSOR = 3 << 3 | LEN;
  private static final int INT32_TENSOR = 7 << 3 | LEN;
  // Tensors: values = 1, keys = 2, shape = 3; packed (LEN) or one element per tag.
  private static final int VALUES_PACKED = 1 << 3 | LEN;
  private static final int VALUE_FLOAT = 1 << 3 | FIXED32;
  private static final int VALUE_DOUBLE = 1 << 3 | FIXED64;
  private static final int VALUE_INT = 1 << 3 | VARINT;
  private static final int KEYS_PACKED = 2 << 3 | LEN;
  private static final int KEY = 2 << 3 | VARINT;
  private static final int SHAPE_PACKED = 3 << 3 | LEN;
  private static final int DIMENSION = 3 << 3 | VARINT;
  private static final byte[] VALUES_KEY = {'v', 'a', 'l', 'u', 'e', 's'};

  private boolean labelFound;
  private boolean keyIsValues;
  private int valueStart;
  private int valueLength;

  /** Whether the last successful {@link #scan} found {@code label["values"]}. */
  boolean labelFound() {
    return labelFound;
  }

  /**
   * Decodes the record in {@code payload[0, length)}.
   *
   * @return true when {@code features} (and {@code label}, if {@link #labelFound()}) now hold the record's tensors;
   *     false when the record needs the generated classes
   */
  boolean scan(byte[] payload, int length, TensorBuffer features, TensorBuffer label) {
    labelFound = false;
    boolean featuresFound = false;
    try {
      CodedInputStream in = CodedInputStream.newInstance(payload, 0, length);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == FEATURES || tag == LABEL) {
          if (!entry(in, payload)) {
            return false;
          }
          if (keyIsValues) {
            if (!value(payload, tag == FEATURES ? features : label)) {
              return false;
            }
            featuresFound |= tag == FEATURES;
            labelFound |= tag == LABEL;
          }
        } else if (!in.skipField(tag)) {
          return false;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return featuresFound;
  }

  /** Reads one map entry: whether its key is "values", and where its value lies in the payload. */
  private boolean entry(CodedInputStream in, byte[] payload) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    keyIsValues = false;
    valueStart = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ENTRY_KEY) {
        int n = in.readRawVarint32();
        int at = in.getTotalBytesRead();
        in.skipRawBytes(n);
        keyIsValues = n == VALUES_KEY.length && Arrays.equals(payload, at, at + n, VALUES_KEY, 0, n);
      } else if (tag == ENTRY_VALUE && valueStart < 0) {
        valueLength = in.readRawVarint32();
        valueStart = in.getTotalBytesRead();
        in.skipRawBytes(valueLength);
      } else if (tag == ENTRY_VALUE || !in.skipField(tag)) {
        return false;
      }
    }
    in.popLimit(limit);
    return !keyIsValues || valueStart >= 0;
  }

  private boolean value(byte[] payload, TensorBuffer target) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(payload, valueStart, valueLength);
    boolean found = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      Kind kind = switch (tag) {
        case FLOAT32_TENSOR -> Kind.FLOAT32;
        case FLOAT64_TENSOR -> Kind.FLOAT64;
        case INT32_TENSOR -> Kind.INT32;
        default -> null;
      };
      if (kind == null) {
        if ((tag >>> 3) == 9 || !in.skipField(tag)) {
          return false;
        }
      } else if (found) {
        return false;
      } else {
        int limit = in.pushLimit(in.readRawVarint32());
        if (!tensor(in, kind, target)) {
          return false;
        }
        in.popLimit(limit);
        found = true;
      }
    }
    return found;
  }

  private static boolean tensor(CodedInputStream in, Kind kind, TensorBuffer t) throws IOException {
    t.reset(kind);
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case VALUES_PACKED -> {
          int n = in.readRawVarint32();
          if (n < 0 || n > in.getBytesUntilLimit()) {
            return false; // a corrupt length: never size a buffer from it
          }
          if (kind == Kind.FLOAT32 && n % 4 == 0) {
            t.reserveValues(n / 4);
            for (int i = n / 4; i > 0; i--) {
              t.addValue(in.readFloat());
            }
          } else if (kind == Kind.FLOAT64 && n % 8 == 0) {
            t.reserveValues(n / 8);
            for (int i = n / 8; i > 0; i--) {
              t.addValue((float) in.readDouble());
            }
          } else if (kind == Kind.INT32) {
            int limit = in.pushLimit(n);
            while (!in.isAtEnd()) {
              t.addValue(in.readInt32());
            }
            in.popLimit(limit);
          } else {
            return false;
          }
        }
        case VALUE_FLOAT, VALUE_DOUBLE, VALUE_INT -> {
          if (tag != unpackedValueTag(kind)) {
            return false;
          }
          t.addValue(kind == Kind.FLOAT32 ? in.readFloat() : kind == Kind.FLOAT64 ? (float) in.readDouble()
              : in.readInt32());
        }
        case KEYS_PACKED, SHAPE_PACKED -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (!in.isAtEnd()) {
            long v = in.readUInt64();
            if (tag == KEYS_PACKED) {
              t.addKey(v);
            } else {
              t.addDimension(v);
            }
          }
          in.popLimit(limit);
        }
        case KEY -> t.addKey(in.readUInt64());
        case DIMENSION -> t.addDimension(in.readUInt64());
        default -> {
          if (!in.skipField(tag)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static int unpackedValueTag(Kind kind) {
    return switch (kind) {
      case FLOAT32 -> VALUE_FLOAT;
      case FLOAT64 -> VALUE_DOUBLE;
      case INT32 -> VALUE_INT;
    };
  }
}
