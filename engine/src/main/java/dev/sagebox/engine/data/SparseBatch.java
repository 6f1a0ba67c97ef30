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

  /** The same rows declared {@code width} columns wide (the model's feature count). */
  public SparseBatch withColumns(int width) {
    return new SparseBatch(rows, width, rowOffsets, indices, values);
  }
}
