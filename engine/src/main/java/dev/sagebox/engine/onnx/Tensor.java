package dev.sagebox.engine.onnx;

import dev.sagebox.engine.error.UserError;
import java.util.Arrays;
import java.util.List;

/**
 * A dense, C-ordered tensor of one of the {@link ElementType}s: its shape and its values in a Java array. Tensors
 * are what bring-your-own ONNX models take and give; they are built by the request decoders and read by the
 * response encoders, never shared between requests.
 */
public sealed interface Tensor permits Tensor.Floats, Tensor.Doubles, Tensor.Ints, Tensor.Longs {

  ElementType type();

  long[] shape();

  /** The number of values (the product of the shape). */
  int size();

  /** Value {@code i} (C order) as a double, for writers and conversions. */
  double valueAt(int i);

  /** The {@code index}-th slice along the first axis, keeping that axis with length 1. */
  Tensor row(int index);

  /** float32 values. */
  record Floats(long[] shape, float[] values) implements Tensor {
    public Floats {
      requireSize(shape, values.length);
    }

    public ElementType type() {
      return ElementType.FLOAT32;
    }

    public int size() {
      return values.length;
    }

    public double valueAt(int i) {
      return values[i];
    }

    public Tensor row(int index) {
      int n = rowSize(shape);
      return new Floats(rowShape(shape), Arrays.copyOfRange(values, index * n, (index + 1) * n));
    }
  }

  /** float64 values. */
  record Doubles(long[] shape, double[] values) implements Tensor {
    public Doubles {
      requireSize(shape, values.length);
    }

    public ElementType type() {
      return ElementType.FLOAT64;
    }

    public int size() {
      return values.length;
    }

    public double valueAt(int i) {
      return values[i];
    }

    public Tensor row(int index) {
      int n = rowSize(shape);
      return new Doubles(rowShape(shape), Arrays.copyOfRange(values, index * n, (index + 1) * n));
    }
  }

  /** int32 values. */
  record Ints(long[] shape, int[] values) implements Tensor {
    public Ints {
      requireSize(shape, values.length);
    }

    public ElementType type() {
      return ElementType.INT32;
    }

    public int size() {
      return values.length;
    }

    public double valueAt(int i) {
      return values[i];
    }

    public Tensor row(int index) {
      int n = rowSize(shape);
      return new Ints(rowShape(shape), Arrays.copyOfRange(values, index * n, (index + 1) * n));
    }
  }

  /** int64 values. */
  record Longs(long[] shape, long[] values) implements Tensor {
    public Longs {
      requireSize(shape, values.length);
    }

    public ElementType type() {
      return ElementType.INT64;
    }

    public int size() {
      return values.length;
    }

    public double valueAt(int i) {
      return values[i];
    }

    public Tensor row(int index) {
      int n = rowSize(shape);
      return new Longs(rowShape(shape), Arrays.copyOfRange(values, index * n, (index + 1) * n));
    }
  }

  /**
   * This tensor as {@code target}: floating values to any floating type, integers to any type; floating values
   * reach an integer type only when they are whole (decoded text is floating), otherwise a {@link UserError} that
   * names {@code input}.
   */
  default Tensor to(ElementType target, String input) {
    if (target == type()) {
      return this;
    }
    int n = size();
    long[] shape = shape();
    switch (target) {
      case FLOAT32 -> {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
          out[i] = (float) valueAt(i);
        }
        return new Floats(shape, out);
      }
      case FLOAT64 -> {
        double[] out = new double[n];
        if (this instanceof Longs l) {
          for (int i = 0; i < n; i++) {
            out[i] = l.values()[i];
          }
        } else {
          for (int i = 0; i < n; i++) {
            out[i] = valueAt(i);
          }
        }
        return new Doubles(shape, out);
      }
      case INT32 -> {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
          double v = this instanceof Longs l ? l.values()[i] : valueAt(i);
          if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw notInteger(input, target, i, v);
          }
          out[i] = (int) v;
        }
        return new Ints(shape, out);
      }
      case INT64 -> {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          double v = valueAt(i);
          if (v != Math.rint(v) || Double.isInfinite(v) || Math.abs(v) > 9.007199254740992e15) {
            throw notInteger(input, target, i, v);
          }
          out[i] = (long) v;
        }
        return new Longs(shape, out);
      }
      default -> throw new IllegalStateException(target.name());
    }
  }

  private static UserError notInteger(String input, ElementType target, int i, double v) {
    return new UserError("input '" + input + "' is " + target + ": value " + (i + 1) + " (" + v + ") is not a whole "
        + "number in its range; send integers");
  }

  /** Shape text as {@code [2,1,28,28]}. */
  static String describe(long[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? "," : "").append(shape[i]);
    }
    return sb.append(']').toString();
  }

  /** The product of {@code shape}, refused over {@code Integer.MAX_VALUE - 8} or for negative dimensions. */
  static int sizeOf(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new UserError("shape " + describe(shape) + " has a negative dimension");
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new UserError("shape " + describe(shape) + " holds more values than a request may (2^31)");
      }
    }
    return (int) n;
  }

  /** Joins tensors along the first axis (each with that axis of length 1, or any length). */
  static Tensor concat(List<Tensor> parts) {
    Tensor first = parts.get(0);
    long[] shape = first.shape().clone();
    long rows = 0;
    int total = 0;
    for (Tensor t : parts) {
      rows += t.shape().length == 0 ? 1 : t.shape()[0];
      total += t.size();
    }
    if (shape.length == 0) {
      shape = new long[] {rows};
    } else {
      shape[0] = rows;
    }
    int at = 0;
    switch (first.type()) {
      case FLOAT32 -> {
        float[] out = new float[total];
        for (Tensor t : parts) {
          float[] v = ((Floats) t).values();
          System.arraycopy(v, 0, out, at, v.length);
          at += v.length;
        }
        return new Floats(shape, out);
      }
      case FLOAT64 -> {
        double[] out = new double[total];
        for (Tensor t : parts) {
          double[] v = ((Doubles) t).values();
          System.arraycopy(v, 0, out, at, v.length);
          at += v.length;
        }
        return new Doubles(shape, out);
      }
      case INT32 -> {
        int[] out = new int[total];
        for (Tensor t : parts) {
          int[] v = ((Ints) t).values();
          System.arraycopy(v, 0, out, at, v.length);
          at += v.length;
        }
        return new Ints(shape, out);
      }
      case INT64 -> {
        long[] out = new long[total];
        for (Tensor t : parts) {
          long[] v = ((Longs) t).values();
          System.arraycopy(v, 0, out, at, v.length);
          at += v.length;
        }
        return new Longs(shape, out);
      }
      default -> throw new IllegalStateException();
    }
  }

  private static void requireSize(long[] shape, int length) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException("shape " + describe(shape) + " needs " + n + " values, got " + length);
    }
  }

  private static int rowSize(long[] shape) {
    return shape.length == 0 || shape[0] == 0 ? 0 : (int) (product(shape) / shape[0]);
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static long[] rowShape(long[] shape) {
    long[] s = shape.clone();
    s[0] = 1;
    return s;
  }
}
