package dev.sagebox.engine.data.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts the lines of an input before it is parsed where its rows are given arrays of their exact size (a request's
 * rows, a small file appended to a channel, the blank lines before a file's first row): eight bytes per step,
 * finding the newlines with word arithmetic. A row is a line with something other than spaces, tabs and CRs on it;
 * as long as every line starts with such a byte (always so in a data file without blank or indented lines), the
 * rows are just the newlines, plus a last unterminated line. Otherwise the input is recounted byte by byte.
 */
final class LineCounter {
  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGH = 0x8080808080808080L;
  /** Added to a byte's low 7 bits, carries into bit 7 exactly when the byte is above {@code ' '} (0x20). */
  private static final long ABOVE_SPACE = 0x5F5F5F5F5F5F5F5FL;

  private LineCounter() {}

  /** Newlines and rows of a block. */
  record Count(long newlines, int rows) {}

  static Count count(byte[] data, int start, int end) {
    long newlines = 0;
    long blankStart = 0;
    int i = start;
    for (; i + 9 <= end; i += 8) {
      long w = (long) LONGS.get(data, i);
      long nl = zeroBytes(w ^ NEWLINES);
      newlines += Long.bitCount(nl);
      // The byte after each newline: the first of the next line.
      long next = (long) LONGS.get(data, i + 1);
      blankStart |= nl & ~(((next & LOW7) + ABOVE_SPACE) | next) & HIGH;
    }
    boolean suspect = blankStart != 0 || (start < end && isBlankByte(data[start]));
    for (; i < end; i++) {
      if (data[i] == '\n') {
        newlines++;
        suspect |= i + 1 < end && isBlankByte(data[i + 1]);
      }
    }
    if (suspect) {
      return new Count(newlines, countRows(data, start, end));
    }
    boolean unterminated = end > start && data[end - 1] != '\n';
    return new Count(newlines, (int) newlines + (unterminated ? 1 : 0));
  }

  /** Bytes that may start a blank line (0x00 to 0x20, a conservative superset of space, tab, CR and LF). */
  private static boolean isBlankByte(byte b) {
    return b >= 0 && b <= ' ';
  }

  /** A word with the high bit set in exactly the bytes of {@code w} that are zero. */
  static long zeroBytes(long w) {
    return ~(((w & LOW7) + LOW7) | w) & HIGH;
  }

  /** Counts non-blank lines byte by byte: exactly the rows that {@link BlockParser} produces. */
  static int countRows(byte[] data, int start, int end) {
    int rows = 0;
    boolean content = false;
    for (int i = start; i < end; i++) {
      byte c = data[i];
      if (c == '\n') {
        if (content) {
          rows++;
        }
        content = false;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        content = true;
      }
    }
    return content ? rows + 1 : rows;
  }
}
