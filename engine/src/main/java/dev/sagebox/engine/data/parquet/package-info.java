/**
 * Parquet training files ({@code application/x-parquet}), read with parquet-java's page and value decoders straight
 * into row-major float arrays: the label is the first column, the other columns are the features.
 *
 * <p>{@link dev.sagebox.engine.data.parquet.ParquetReader} is the entry point; {@code ParquetSchema} decides which
 * columns are accepted, {@code ColumnCursor} walks one column's pages, {@code RowGroupTask} reads a row group (or a
 * slice of its columns) on one thread, and {@code ParquetFiles} opens files without a Hadoop file system.
 */
package dev.sagebox.engine.data.parquet;
