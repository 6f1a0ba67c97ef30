package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.data.text.NumberScanner;
import java.nio.charset.StandardCharsets;

/**
 * Parses the rows of one line-aligned block into their place in the output arrays, in a single pass: each field is
 * read where it starts, by {@link PlainDecimal} when it is a plain decimal and by the general {@link NumberScanner}
 * otherwise (blanks, exponents, nan/inf spellings, quotes, long mantissas, the block's last few bytes). Errors are
 * recorded in the block, not thrown, so that the earliest one of all blocks can be reported.
 */
final class BlockParser {
  /**
   * Places in the field-end array past the last column: the plain-row scan writes a word's first four ends (and a
   * crowded word's others) before it checks the count, with at most {@code columns - 1} ends found before the word.
   */
  private static final int FIELD_END_SPARE = 8;
  private final byte delimiter;
  /** The delimiter in every byte of a word. */
  private final long delimiters;
  private final boolean tabIsBlank;
  /** Whether fields may take the {@link PlainDecimal} path (not with delimiters that are blanks or number bytes). */
  private final boolean plainFields;

  BlockParser(byte delimiter) {
    this.delimiter = delimiter;
    this.delimiters = (delimiter & 0xFFL) * 0x0101010101010101L;
    this.tabIsBlank = delimiter != '\t';
    this.plainFields = delimiter == ',' || delimiter == '\t' || delimiter == ';' || delimiter == '|';
  }

  /**
   * Parses the rows of {@code block} from where its parse stands ({@code block.pos}) into {@code out} from row
   * {@code row} on, until the block ends, {@code out} is full (then {@code block.pos} is the next line's start), or a
   * line fails (recorded in the block). Counts the lines it passes, blank ones included, in {@code block.newlines}.
   * Returns the row after the last one written.
   */
  int parse(CsvBlock block, ParsedRows out, int row) {
    final byte[] data = block.buf;
    final int end = block.end;
    final byte delim = delimiter;
    // Fields starting before this offset have all the bytes a plain read may look at.
    final int plainEnd = plainFields ? end - PlainDecimal.LOOKAHEAD : Integer.MIN_VALUE;
    final int lead = out.layout.leadingColumns();
    final boolean hasLabel = out.layout.label();
    final int columns = out.columns;
    final int features = out.features;
    final float[] x = out.x;
    final float[] labels = out.labels;
    final float[] weights = out.weights;
    final int rowLimit = out.capacity;
    NumberScanner s = new NumberScanner(data, block.start, end);
    // Where each field of the current line ends (its delimiter, or the line's newline), for the fast path.
    final int[] fieldEnds = new int[columns + FIELD_END_SPARE];
    int pos = block.pos;
    long newlines = block.newlines;
    while (pos < end) {
      int lineStart = pos;
      byte first = data[pos];
      if (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
        int next = blankLineEnd(data, pos, end);
        if (next >= 0) {
          newlines += data[next - 1] == '\n' ? 1 : 0;
          pos = next;
          continue;
        }
      }
      if (row >= rowLimit) {
        block.pos = lineStart;
        block.newlines = newlines;
        return row;
      }
      int xBase = row * features - lead;
      if (pos < plainEnd) {
        int next = plainRow(data, pos, plainEnd, fieldEnds, x, xBase, labels, weights, row, lead, hasLabel);
        if (next >= 0) {
          pos = next;
          newlines++;
          row++;
          continue;
        }
      }
      int col = 0;
      while (true) {
        int fieldStart = pos;
        float v;
        long plain = pos < plainEnd ? PlainDecimal.read(data, pos, delim) : PlainDecimal.DECLINED;
        if (plain != PlainDecimal.DECLINED) {
          v = PlainDecimal.value(plain);
          pos = PlainDecimal.end(plain);
        } else {
          s.pos = pos;
          try {
            v = s.readFloat(delim, delim, tabIsBlank);
          } catch (NumberFormatException e) {
            fail(block, fieldStart, col, token(data, fieldStart, end, delim), -1);
            return row;
          }
          pos = s.pos;
        }
        if (col >= lead) {
          if (col < columns) {
            x[xBase + col] = v;
          }
        } else if (col == 0 && hasLabel) {
          if (Float.isNaN(v)) {
            fail(block, fieldStart, col, token(data, fieldStart, end, delim), -1);
            return row;
          }
          labels[row] = v;
        } else {
          weights[row] = Float.isNaN(v) ? 1f : v;
        }
        col++;
        if (pos < end && data[pos] == delim) {
          pos++;
          continue;
        }
        break;
      }
      if (pos < end && data[pos] == '\r') {
        pos++;
      }
      if (pos < end && data[pos] == '\n') {
        pos++;
        newlines++;
      }
      if (col != columns) {
        fail(block, lineStart, -1, "", col);
        return row;
      }
      row++;
    }
    block.pos = end;
    block.newlines = newlines;
    return row;
  }

  /**
   * The fast path for a line of plain decimals: its field ends are found first, eight bytes a step, so each field's
   * read starts at a known offset and the reads of one line do not wait for each other's ends (the CPU overlaps
   * them). Writes the row and answers the offset of the next line; or answers -1, having written nothing that the
   * general path will not overwrite, when the line has another field count, a field that is not a plain decimal, or
   * reaches within {@link PlainDecimal#LOOKAHEAD} bytes of the block's end: the general path then reads it (and
   * reports its errors).
   */
  private int plainRow(byte[] data, int start, int limit, int[] fieldEnds, float[] x, int xBase, float[] labels,
      float[] weights, int row, int lead, boolean hasLabel) {
    final int columns = fieldEnds.length - FIELD_END_SPARE;
    int found = 0;
    int newline;
    for (int p = start; ; p += 8) {
      if (p + 8 > limit) {
        return -1;
      }
      long w = (long) LineCounter.LONGS.get(data, p);
      long marks = LineCounter.zeroBytes(w ^ delimiters);
      long newlines = LineCounter.zeroBytes(w ^ LineCounter.NEWLINES);
      if (newlines != 0) {
        // The line ends in this word: its delimiters before the newline, then the newline.
        long first = newlines & -newlines;
        marks = (marks & (first - 1)) | first;
        while (marks != 0) {
          if (found == columns) {
            return -1;
          }
          fieldEnds[found++] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
          marks &= marks - 1;
        }
        newline = p + (Long.numberOfTrailingZeros(first) >>> 3);
        break;
      }
      // Inside the line: zero to eight delimiters in the word, as unpredictable as the data. The first four ends
      // are written whether or not they exist (a missing one lands past the count and is overwritten), so the
      // common words cost no branch on their count; a word with more continues in a loop.
      int count = Long.bitCount(marks);
      fieldEnds[found] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
      marks &= marks - 1;
      fieldEnds[found + 1] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
      marks &= marks - 1;
      fieldEnds[found + 2] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
      marks &= marks - 1;
      fieldEnds[found + 3] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
      marks &= marks - 1;
      for (int k = found + 4; marks != 0; k++) {
        fieldEnds[k] = p + (Long.numberOfTrailingZeros(marks) >>> 3);
        marks &= marks - 1;
      }
      found += count;
      if (found >= columns) {
        return -1; // the line's last field ends at its newline, so a full count before it is one too many
      }
    }
    if (found != columns) {
      return -1;
    }
    if (data[newline - 1] == '\r') {
      fieldEnds[columns - 1] = newline - 1;
    }
    final byte delim = delimiter;
    int fieldStart = start;
    for (int col = 0; col < lead; col++) {
      int fieldEnd = fieldEnds[col];
      long plain = PlainDecimal.readField(data, fieldStart, fieldEnd, delim);
      if (plain == PlainDecimal.DECLINED) {
        return -1;
      }
      if (col == 0 && hasLabel) {
        labels[row] = PlainDecimal.value(plain);
      } else {
        weights[row] = PlainDecimal.value(plain);
      }
      fieldStart = fieldEnd + 1;
    }
    // The features: a loop of its own, without the label's and weight's tests.
    for (int col = lead; col < columns; col++) {
      int fieldEnd = fieldEnds[col];
      long plain = PlainDecimal.readField(data, fieldStart, fieldEnd, delim);
      if (plain == PlainDecimal.DECLINED) {
        return -1;
      }
      x[xBase + col] = PlainDecimal.value(plain);
      fieldStart = fieldEnd + 1;
    }
    return newline + 1;
  }

  /** The offset after a blank line (only spaces, tabs, CRs) starting at {@code p}, or -1 if the line has content. */
  private static int blankLineEnd(byte[] data, int p, int end) {
    while (p < end && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r')) {
      p++;
    }
    if (p >= end) {
      return end;
    }
    return data[p] == '\n' ? p + 1 : -1;
  }

  private static void fail(CsvBlock b, int offset, int column, String token, int foundColumns) {
    b.fail("parse error", offset, column, token, foundColumns);
  }

  private static String token(byte[] data, int from, int end, byte delim) {
    int p = from;
    while (p < end && data[p] != delim && data[p] != '\n' && data[p] != '\r') {
      p++;
    }
    String t = new String(data, from, p - from, StandardCharsets.UTF_8).strip();
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }
}
