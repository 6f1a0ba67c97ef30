package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.data.text.Lines;

/**
 * A line-aligned slice of input and how far its parse got: the next line's offset, the lines passed and the rows
 * written. Parse errors are recorded here, not thrown.
 */
final class CsvBlock {
  final byte[] buf;
  final int start;
  final int end;
  /** Lines before the block in its input, once known (blocks are placed in order after their parse). */
  long lineBase;
  int pos;
  long newlines;
  int rows;
  int errorColumn;
  String errorToken;
  int foundColumns = -1;
  String error;
  /** The failing line's number within the block (1 = its first line) and its text, taken when the error is found. */
  private long errorLineInBlock;
  String errorText;

  CsvBlock(byte[] buf, int start, int end) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /**
   * Records a parse error at {@code offset}. Its line number and text are taken now: once its parse ends, a block
   * read from a stream gives its buffer back for later blocks to be read into.
   */
  void fail(String error, int offset, int column, String token, int foundColumns) {
    this.error = error;
    this.errorColumn = column;
    this.errorToken = token;
    this.foundColumns = foundColumns;
    this.errorLineInBlock = Lines.lineOf(buf, start, offset);
    this.errorText = Lines.excerpt(buf, start, end, offset, 120);
  }

  long errorLine() {
    return lineBase + errorLineInBlock;
  }
}
