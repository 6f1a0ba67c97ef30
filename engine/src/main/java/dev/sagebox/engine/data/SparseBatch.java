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
}
