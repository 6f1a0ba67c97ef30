package dev.sagebox.engine.data;

import java.util.function.Supplier;

/**
 * Rows of many whole files of one text format, parsed one file after another on the calling thread into one set of
 * growing arrays: a channel of many small files costs about its rows, not a reader, buffers and arrays per file.
 * The result equals what one file holding all of them, concatenated in the same order, would give.
 */
public interface RowAppender {

  /**
   * Parses one whole file, {@code data[start, end)}, and appends its rows. Errors name the file ({@code source},
   * asked for only when needed: a channel may hold 100,000 files) and the line within it.
   */
  void append(byte[] data, int start, int end, Supplier<String> source);

  /** Rows appended so far. */
  int rows();

  /** How many of the appended files held rows. */
  int files();

  /** The first file that held rows, or {@code null} before one did. */
  String firstSource();

  /** The rows appended, in arrays of their size, named {@code source}; the appender is not used afterwards. */
  LabeledData finish(String source);
}
