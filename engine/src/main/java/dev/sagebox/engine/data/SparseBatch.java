package dev.sagebox.engine.data;

/**
 * Sparse rows in compressed-sparse-row form, as {@code DMatrix} takes them: row {@code r} holds
 * {@code indices[rowOffsets[r] .. rowOffsets[r+1])} with the matching {@code values}.
 */
public record SparseBatch(int rows, int columns, long[] rowOffsets, int[] indices, float[] values) implements Batch {

  public SparseBatch {
    if (rowOffsets.length != rows + 1) {
      throw new IllegalArgumentException("CSR needs rows + 1 offsets");
    }
    if (indices.length != values.length || rowOffsets[rows] != values.length) {
      throw new IllegalArgumentException("CSR indices/values/offsets disagree");
    }
  }

  /** Row-major dense copy {@code rows x width}; absent entries are 0 (a linear model's reading of sparse data). */
  public float[] toDense(int width) {
    float[] x = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      for (long i = rowOffsets[r]; i < rowOffsets[r + 1]; i++) {
        x[r * width + indices[(int) i]] = values[(int) i];
      }
    }
    return x;
  }

  /** The same rows declared {@code width} columns wide (the model's feature count). */
  public SparseBatch withColumns(int width) {
    return new SparseBatch(rows, width, rowOffsets, indices, values);
  }

  /** The smallest feature index present, or -1 when there are no entries. */
  public int smallestIndex() {
    int min = Integer.MAX_VALUE;
    for (int i : indices) {
      min = Math.min(min, i);
    }
    return indices.length == 0 ? -1 : min;
  }

  /** The same rows with every index one lower (1-based to 0-based); every index must be at least 1. */
  public SparseBatch shiftedDown() {
    int[] shifted = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      shifted[i] = indices[i] - 1;
    }
    return new SparseBatch(rows, Math.max(0, columns - 1), rowOffsets, shifted, values);
  }
}
