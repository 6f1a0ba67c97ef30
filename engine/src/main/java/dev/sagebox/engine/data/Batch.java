package dev.sagebox.engine.data;

/** A block of feature rows: dense (row-major, NaN = missing) or sparse (CSR, absent = missing). */
public sealed interface Batch permits DenseBatch, SparseBatch {

  int rows();

  /** Number of feature columns (for sparse data: the largest index + 1 seen, or the declared width). */
  int columns();
}
