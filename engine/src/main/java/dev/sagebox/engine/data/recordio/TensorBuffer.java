package dev.sagebox.engine.data.recordio;

import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float64Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Int32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import java.util.Arrays;

/**
 * One numeric tensor of the current record (a Float32, Float64 or Int32 tensor), decoded into primitive arrays
 * that are reused from record to record: values (every element type as float), keys and shape (uint64 as long; a
 * negative long is a key of 2^63 or more). {@code field} (such as {@code features['values']}) names it in messages.
 */
final class TensorBuffer {
  static final String ACCEPTED = "accepted: Float32Tensor, Float64Tensor, Int32Tensor";

  /** The tensor types, with their names in the schema. */
  enum Kind {
    FLOAT32("Float32Tensor"), FLOAT64("Float64Tensor"), INT32("Int32Tensor");

    final String typeName;

    Kind(String typeName) {
      this.typeName = typeName;
    }
  }

  final String field;
  Kind kind;
  float[] values = new float[64];
  int valueCount;
  long[] keys = new long[16];
  int keyCount;
  long[] shape = new long[4];
  int shapeCount;

  TensorBuffer(String field) {
    this.field = field;
  }

  void reset(Kind newKind) {
    kind = newKind;
    valueCount = 0;
    keyCount = 0;
    shapeCount = 0;
  }

  void addValue(float v) {
    if (valueCount == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[valueCount++] = v;
  }

  /** Makes room for {@code n} more values at once. */
  void reserveValues(int n) {
    if (values.length - valueCount < n) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + n));
    }
  }

  void addKey(long k) {
    if (keyCount == keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[keyCount++] = k;
  }

  void addDimension(long d) {
    if (shapeCount == shape.length) {
      shape = Arrays.copyOf(shape, shape.length * 2);
    }
    shape[shapeCount++] = d;
  }

  /** Copies the tensor of a parsed Value; a Bytes value or an empty one is an error about the current record. */
  void fill(Value value, RecordIOReader at) {
    switch (value.getValueCase()) {
      case FLOAT32_TENSOR -> {
        Float32Tensor t = value.getFloat32Tensor();
        reset(Kind.FLOAT32);
        for (int i = 0, n = t.getValuesCount(); i < n; i++) {
          addValue(t.getValues(i));
        }
        for (int i = 0, n = t.getKeysCount(); i < n; i++) {
          addKey(t.getKeys(i));
        }
        for (int i = 0, n = t.getShapeCount(); i < n; i++) {
          addDimension(t.getShape(i));
        }
      }
      case FLOAT64_TENSOR -> {
        Float64Tensor t = value.getFloat64Tensor();
        reset(Kind.FLOAT64);
        for (int i = 0, n = t.getValuesCount(); i < n; i++) {
          addValue((float) t.getValues(i));
        }
        for (int i = 0, n = t.getKeysCount(); i < n; i++) {
          addKey(t.getKeys(i));
        }
        for (int i = 0, n = t.getShapeCount(); i < n; i++) {
          addDimension(t.getShape(i));
        }
      }
      case INT32_TENSOR -> {
        Int32Tensor t = value.getInt32Tensor();
        reset(Kind.INT32);
        for (int i = 0, n = t.getValuesCount(); i < n; i++) {
          addValue(t.getValues(i));
        }
        for (int i = 0, n = t.getKeysCount(); i < n; i++) {
          addKey(t.getKeys(i));
        }
        for (int i = 0, n = t.getShapeCount(); i < n; i++) {
          addDimension(t.getShape(i));
        }
      }
      case BYTES -> throw at.error(field + " is a Bytes value (raw bytes such as an encoded image), not numbers; "
          + ACCEPTED);
      case VALUE_NOT_SET -> throw at.error(field + " holds no tensor (an empty Value); " + ACCEPTED);
    }
  }

  String typeName() {
    return kind.typeName;
  }

  /**
   * The number of elements the shape describes (the product of its dimensions), or -1 without a shape. Shapes
   * beyond {@code Integer.MAX_VALUE} elements are an error: no row can be that wide.
   */
  long elements(RecordIOReader at) {
    if (shapeCount == 0) {
      return -1;
    }
    long product = 1;
    for (int i = 0; i < shapeCount; i++) {
      long d = shape[i];
      if (d < 0 || d > Integer.MAX_VALUE || (product *= d) > Integer.MAX_VALUE) {
        throw at.error(field + " has shape " + shapeText() + ", more than " + Integer.MAX_VALUE
            + " elements; a row can have at most that many features");
      }
    }
    return product;
  }

  String shapeText() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shapeCount; i++) {
      sb.append(i > 0 ? ", " : "").append(Long.toUnsignedString(shape[i]));
    }
    return sb.append(']').toString();
  }
}
