package dev.sagebox.engine.data.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * One row group of the file, or a slice of its columns, read on one thread into the shared output arrays.
 *
 * <p>Rows are written a block at a time across all the task's columns, so that the block's part of the row-major
 * array stays in cache while every column fills it, instead of sweeping the whole array once per column.
 *
 * @param group the row group's index in the file
 * @param firstRow the row group's first row in the file (0-based)
 * @param rows the row group's row count
 * @param columns the columns this task reads (the label is the column with index 0)
 */
record RowGroupTask(int group, int firstRow, int rows, List<ColumnPlan> columns) {
  /** About 256 KB of output per block (width floats a row), within limits. */
  private static final int BLOCK_FLOATS = 1 << 16;

  /** Where tasks write: labels, row-major features, and the first row whose label is null (Long.MAX_VALUE: none). */
  record Output(float[] labels, float[] features, int width, AtomicLong firstNullLabel) {}

  void read(ParquetFileReader reader, Output out) throws IOException {
    List<ColumnDescriptor> wanted = new ArrayList<>(columns.size());
    for (ColumnPlan c : columns) {
      wanted.add(c.descriptor());
    }
    reader.setRequestedSchema(wanted);
    PageReadStore store = reader.readRowGroup(group);
    if (store == null) {
      throw new ParquetDecodingException("row group " + (group + 1) + " is missing");
    }
    ColumnCursor[] cursors = new ColumnCursor[columns.size()];
    for (int c = 0; c < cursors.length; c++) {
      cursors[c] = new ColumnCursor(columns.get(c), store.getPageReader(columns.get(c).descriptor()));
    }
    int width = out.width();
    int block = Math.max(64, Math.min(8192, BLOCK_FLOATS / width));
    for (int r = 0; r < rows; r += block) {
      int n = Math.min(block, rows - r);
      int row = firstRow + r;
      for (int c = 0; c < cursors.length; c++) {
        int index = columns.get(c).index();
        if (index == 0) {
          cursors[c].fill(out.labels(), row, 1, n);
        } else {
          cursors[c].fill(out.features(), row * width + index - 1, width, n);
        }
      }
    }
    for (int c = 0; c < cursors.length; c++) {
      if (columns.get(c).index() == 0 && cursors[c].firstNull() >= 0) {
        out.firstNullLabel().accumulateAndGet(firstRow + cursors[c].firstNull(), Math::min);
      }
    }
  }
}
