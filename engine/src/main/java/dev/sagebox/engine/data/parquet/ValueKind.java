package dev.sagebox.engine.data.parquet;

/** How the stored values of one accepted column become floats. */
enum ValueKind {
  BOOLEAN,
  INT32,
  /** int32 annotated UINT_8, UINT_16 or UINT_32. */
  UINT32,
  /** int32 annotated DECIMAL: the unscaled value divided by 10^scale. */
  DECIMAL32,
  INT64,
  /** int64 annotated UINT_64: values of 2^63 and above are stored negative. */
  UINT64,
  /** int64 annotated DECIMAL. */
  DECIMAL64,
  FLOAT,
  DOUBLE
}
