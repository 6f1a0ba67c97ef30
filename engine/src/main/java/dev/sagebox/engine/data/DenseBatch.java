package dev.sagebox.engine.data;

/**
 * Dense rows in one row-major float array; {@code Float.NaN} marks a missing value. The array is owned by the batch
 * and handed to native code without copying, so callers must not change it afterwards. It may be longer than
 * {@code rows * columns} (a reader's spare capacity, never copied away); only that prefix is data.
 */
public record DenseBatch(int rows, int columns, float[] values) implements Batch {

  public DenseBatch {
    if ((long) rows * columns > values.length) {
      throw new IllegalArgumentException(
          "dense batch of " + rows + "x" + columns + " needs " + ((long) rows * columns) + " values, got "
              + values.length);
    }
  }

  public float get(int row, int column) {
    return values[row * columns + column];
  }
}
