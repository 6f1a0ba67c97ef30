package dev.sagebox.engine.onnx;

import dev.sagebox.engine.error.UserError;
import java.util.Arrays;

/**
 * A model input or output as its metadata declares it: name, element type and shape, where a dimension of -1 is
 * dynamic (any length) and {@code dimensionNames} holds the symbolic names ONNX gives those ("batch").
 */
public record TensorSpec(String name, ElementType type, long[] shape, String[] dimensionNames) {

  public TensorSpec {
    shape = shape.clone();
    dimensionNames = dimensionNames == null ? new String[shape.length] : dimensionNames.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** True when the first axis is fixed at 1: such a model takes one row per run. */
  public boolean batchOfOne() {
    return shape.length > 0 && shape[0] == 1;
  }

  /** A table input: {@code [N, F]} with F fixed. */
  public boolean isRows() {
    return shape.length == 2 && shape[1] > 0;
  }

  /** An image input: {@code [N, C, H, W]} with C fixed at 1 or 3. */
  public boolean isImage() {
    return shape.length == 4 && (shape[1] == 1 || shape[1] == 3);
  }

  /** The length of axis {@code axis}, or -1 when dynamic. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** The values one row (first-axis slice) holds when every other axis is fixed, else -1. */
  public long rowSize() {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        return -1;
      }
      n *= shape[i];
    }
    return n;
  }

  /**
   * Checks a received tensor's shape against this spec: same rank, fixed axes equal (a fixed first axis of 1
   * accepts any row count: the rows are run one at a time). The error names the input, the expected and the
   * received shape.
   */
  public void check(long[] received) {
    boolean ok = received.length == shape.length;
    for (int i = 0; ok && i < shape.length; i++) {
      ok = shape[i] < 0 || shape[i] == received[i] || (i == 0 && shape[i] == 1);
    }
    if (!ok) {
      throw new UserError("input '" + name + "' expects shape " + describe() + " (" + type + "); received "
          + Tensor.describe(received));
    }
  }

  /** The declared shape as {@code [batch,1,28,28]}: dynamic axes by their symbolic name, or {@code ?}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? "," : "");
      if (shape[i] >= 0) {
        sb.append(shape[i]);
      } else {
        String n = dimensionNames[i];
        sb.append(n == null || n.isBlank() ? "?" : n);
      }
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + describe();
  }
}
