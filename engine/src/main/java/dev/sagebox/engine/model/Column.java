package dev.sagebox.engine.model;

/** One output of a prediction, one entry per row. */
public sealed interface Column permits Column.Scalars, Column.Integers, Column.Vectors, Column.IntVectors {

  int rows();

  /** A real number per row (NaN: not available). */
  record Scalars(float[] values) implements Column {
    @Override
    public int rows() {
      return values.length;
    }
  }

  /** A whole number per row (class labels). */
  record Integers(int[] values) implements Column {
    @Override
    public int rows() {
      return values.length;
    }
  }

  /** A list of reals per row (class probabilities). */
  record Vectors(float[][] values) implements Column {
    @Override
    public int rows() {
      return values.length;
    }
  }

  /** A list of whole numbers per row (the label set). */
  record IntVectors(int[][] values) implements Column {
    @Override
    public int rows() {
      return values.length;
    }
  }
}
