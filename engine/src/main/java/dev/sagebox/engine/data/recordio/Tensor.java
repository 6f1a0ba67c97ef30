package dev.sagebox.engine.data.recordio;

import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float64Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Int32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.data.text.GrowableFloats;

/**
 * One numeric tensor of a Record (a Float32, Float64 or Int32 tensor), read element by element without boxing;
 * every element type comes out as a float. {@code field} (such as {@code features['values']}) names it in
 * messages.
 */
final class Tensor {
  static final String ACCEPTED = "accepted: Float32Tensor, Float64Tensor, Int32Tensor";

  private enum Kind { FLOAT32, FLOAT64, INT32 }

  private final String field;
  private final Kind kind;
  private final Float32Tensor f32;
  private final Float64Tensor f64;
  private final Int32Tensor i32;

  private Tensor(String field, Kind kind, Float32Tensor f32, Float64Tensor f64, Int32Tensor i32) {
    this.field = field;
    this.kind = kind;
    this.f32 = f32;
    this.f64 = f64;
    this.i32 = i32;
  }

  /** The tensor in {@code value}; a Bytes value or an empty one is an error about the current record. */
  static Tensor of(Value value, String field, RecordIOReader at) {
    return switch (value.getValueCase()) {
      case FLOAT32_TENSOR -> new Tensor(field, Kind.FLOAT32, value.getFloat32Tensor(), null, null);
      case FLOAT64_TENSOR -> new Tensor(field, Kind.FLOAT64, null, value.getFloat64Tensor(), null);
      case INT32_TENSOR -> new Tensor(field, Kind.INT32, null, null, value.getInt32Tensor());
      case BYTES -> throw at.error(field + " is a Bytes value (raw bytes such as an encoded image), not numbers; "
          + ACCEPTED);
      case VALUE_NOT_SET -> throw at.error(field + " holds no tensor (an empty Value); " + ACCEPTED);
    };
  }

  String field() {
    return field;
  }

  String typeName() {
    return switch (kind) {
      case FLOAT32 -> "Float32Tensor";
      case FLOAT64 -> "Float64Tensor";
      case INT32 -> "Int32Tensor";
    };
  }

  int valueCount() {
    return switch (kind) {
      case FLOAT32 -> f32.getValuesCount();
      case FLOAT64 -> f64.getValuesCount();
      case INT32 -> i32.getValuesCount();
    };
  }

  int keyCount() {
    return switch (kind) {
      case FLOAT32 -> f32.getKeysCount();
      case FLOAT64 -> f64.getKeysCount();
      case INT32 -> i32.getKeysCount();
    };
  }

  int shapeCount() {
    return switch (kind) {
      case FLOAT32 -> f32.getShapeCount();
      case FLOAT64 -> f64.getShapeCount();
      case INT32 -> i32.getShapeCount();
    };
  }

  float value(int i) {
    return switch (kind) {
      case FLOAT32 -> f32.getValues(i);
      case FLOAT64 -> (float) f64.getValues(i);
      case INT32 -> i32.getValues(i);
    };
  }

  /** The flat index of value {@code i} (keys are uint64: a negative long is a key of 2^63 or more). */
  long key(int i) {
    return switch (kind) {
      case FLOAT32 -> f32.getKeys(i);
      case FLOAT64 -> f64.getKeys(i);
      case INT32 -> i32.getKeys(i);
    };
  }

  long dimension(int i) {
    return switch (kind) {
      case FLOAT32 -> f32.getShape(i);
      case FLOAT64 -> f64.getShape(i);
      case INT32 -> i32.getShape(i);
    };
  }

  /** Appends every value, one loop per element type. */
  void appendValues(GrowableFloats out) {
    switch (kind) {
      case FLOAT32 -> {
        for (int i = 0, n = f32.getValuesCount(); i < n; i++) {
          out.add(f32.getValues(i));
        }
      }
      case FLOAT64 -> {
        for (int i = 0, n = f64.getValuesCount(); i < n; i++) {
          out.add((float) f64.getValues(i));
        }
      }
      case INT32 -> {
        for (int i = 0, n = i32.getValuesCount(); i < n; i++) {
          out.add(i32.getValues(i));
        }
      }
    }
  }

  /**
   * The number of elements the shape describes (the product of its dimensions), or -1 without a shape. Shapes
   * beyond {@code Integer.MAX_VALUE} elements are an error: no row can be that wide.
   */
  long elements(RecordIOReader at) {
    int n = shapeCount();
    if (n == 0) {
      return -1;
    }
    long product = 1;
    for (int i = 0; i < n; i++) {
      long d = dimension(i);
      if (d < 0 || d > Integer.MAX_VALUE || (product *= d) > Integer.MAX_VALUE) {
        throw at.error(field + " has shape " + shapeText() + ", more than " + Integer.MAX_VALUE
            + " elements; a row can have at most that many features");
      }
    }
    return product;
  }

  String shapeText() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0, n = shapeCount(); i < n; i++) {
      sb.append(i > 0 ? ", " : "").append(Long.toUnsignedString(dimension(i)));
    }
    return sb.append(']').toString();
  }
}
