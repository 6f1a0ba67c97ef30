/**
 * Parquet training files ({@code application/x-parquet}), read with parquet-java's page and value decoders straight
 * into row-major float arrays: the label is the first column, the other columns are the features.
 *
 * <p>{@link dev.sagebox.engine.data.parquet.ParquetReader} is the entry point. {@code ParquetSchema} decides which
 * columns are accepted; {@code RowGroupTasks} cuts the file into row groups (or column slices of them) and runs them
 * on a few threads; a {@code RowGroupTask} reads one with a {@code ColumnCursor} per column; {@code ParquetFiles}
 * opens files without a Hadoop file system and {@code PageDecompressors} inflates pages in pure Java.
 */
package dev.sagebox.engine.data.parquet;
