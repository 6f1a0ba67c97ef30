package dev.sagebox.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the rows of a channel came from, so that a check run on the whole channel (labels, weights, infinite values)
 * can name the file and line of a bad row. It holds one small entry per file that gave rows; the line of a row is
 * found only when a message needs it, by reading that file again and counting its rows as the readers count them.
 */
public final class RowOrigins {
  /** A file's rows: they start at {@code firstRow} of the channel and at line {@code firstLine} of the file. */
  private record Part(Path file, int firstRow, long firstLine, TextFormat format) {}

  private final String channel;
  private final int leadingColumns;
  private final List<Part> parts;
  private int rows;

  /** @param leadingColumns CSV columns before the first feature (the label, and the weight when there is one) */
  public RowOrigins(String channel, int leadingColumns) {
    this(channel, leadingColumns, new ArrayList<>(), 0);
  }

  private RowOrigins(String channel, int leadingColumns, List<Part> parts, int rows) {
    this.channel = channel;
    this.leadingColumns = leadingColumns;
    this.parts = parts;
    this.rows = rows;
  }

  /** One file's rows, appended after the rows so far. */
  public static RowOrigins ofFile(String channel, Path file, long firstLine, TextFormat format, int rows,
      int leadingColumns) {
    RowOrigins o = new RowOrigins(channel, leadingColumns);
    o.add(file, format, firstLine, rows);
    return o;
  }

  /** The same rows, read with {@code columns} CSV columns before the first feature. */
  public RowOrigins withLeadingColumns(int columns) {
    return new RowOrigins(channel, columns, parts, rows);
  }

  /** Appends a file that gave {@code count} rows (none: nothing is kept), its first row at line {@code firstLine}. */
  public void add(Path file, TextFormat format, long firstLine, int count) {
    if (count > 0) {
      parts.add(new Part(file, rows, firstLine, format));
      rows += count;
    }
  }

  public int rows() {
    return rows;
  }

  /**
   * Names row {@code row} (0-based, of the whole channel): {@code train/b.csv, line 7} for a text file,
   * {@code train/p.parquet, record 3} otherwise; {@code channel 'train', row 104} when the row is not known here.
   */
  public String describe(int row) {
    if (row < 0 || row >= rows) {
      return "channel '" + channel + "', row " + (row + 1);
    }
    Part p = parts.get(partOf(row));
    int inFile = row - p.firstRow();
    String name = ChannelFiles.displayName(channel, p.file());
    if (p.format() != TextFormat.CSV && p.format() != TextFormat.LIBSVM) {
      return name + ", record " + (inFile + 1);
    }
    long line = lineOf(p, inFile);
    return line > 0 ? name + ", line " + line : name + ", row " + (inFile + 1) + " of the file";
  }

  private int partOf(int row) {
    int lo = 0;
    int hi = parts.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (parts.get(mid).firstRow() <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Names feature {@code feature} (0-based) of row {@code row}: by its column in a CSV file (1-based, counting the
   * label and weight columns), else as the feature.
   */
  public String describe(int row, int feature) {
    String where = describe(row);
    Part p = row >= 0 && row < rows ? parts.get(partOf(row)) : null;
    return p != null && p.format() == TextFormat.CSV ? where + ", column " + (feature + leadingColumns + 1)
        : where + ", feature " + feature;
  }

  /**
   * The line of the file's {@code inFile}-th row (0-based), counted from its first line; 0 when unreadable. Rows are
   * counted as the readers count them: a line with something other than blanks (before a {@code #} in libsvm); in
   * CSV a lone CR also ends a row, on the same line (the CSV reader splits rows there).
   */
  private static long lineOf(Part p, int inFile) {
    boolean libsvm = p.format() == TextFormat.LIBSVM;
    try (ChannelFiles.Peekable peek = ChannelFiles.openPeekable(p.file(), 0);
        InputStream in = peek.stream()) {
      byte[] buf = new byte[1 << 16];
      long line = 1;
      int seen = 0;
      boolean content = false;
      boolean comment = false;
      boolean cr = false;
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (line < p.firstLine()) {
            if (b == '\n') {
              line++;
            }
            continue;
          }
          if (cr && b != '\n' && content) { // a lone CR ended a CSV row
            if (seen++ == inFile) {
              return line;
            }
            content = false;
          }
          cr = false;
          if (b == '\n') {
            if (content && seen++ == inFile) {
              return line;
            }
            line++;
            content = false;
            comment = false;
          } else if (b == '\r') {
            cr = !libsvm;
          } else if (libsvm && b == '#') {
            comment = true;
          } else if (!comment && b != ' ' && b != '\t') {
            content = true;
          }
        }
      }
      return content && seen == inFile ? line : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
