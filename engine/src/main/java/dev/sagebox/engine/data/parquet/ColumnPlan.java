package dev.sagebox.engine.data.parquet;

import org.apache.parquet.column.ColumnDescriptor;

/**
 * One accepted column of the file.
 *
 * @param index position in the file, 0-based (0 is the label)
 * @param name the column's name, for messages
 * @param descriptor parquet-java's handle on the column
 * @param kind how its values become floats
 * @param divisor 10^scale for DECIMAL columns, otherwise 1
 */
record ColumnPlan(int index, String name, ColumnDescriptor descriptor, ValueKind kind, double divisor) {

  String describe() {
    return where(index, name);
  }

  /** "the label, column 1 ('y')" or "column 3 ('age')": 1-based, as people count columns. */
  static String where(int index, String name) {
    return (index == 0 ? "the label, " : "") + "column " + (index + 1) + " ('" + name + "')";
  }
}
