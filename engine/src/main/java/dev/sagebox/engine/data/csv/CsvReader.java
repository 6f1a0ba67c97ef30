package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.text.Lines;
import dev.sagebox.engine.data.text.NumberScanner;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.PlatformError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * SageMaker-style CSV: no header, one record per line, an empty field is a missing value; in training data the
 * label is the first column (and with {@code csv_weights} the weight the second).
 *
 * <p>Input is read in blocks cut at line ends (an array is cut where it lies, without copying). Each block is parsed
 * in one pass ({@link BlockParser}, reading plain decimals eight bytes at a time with {@link PlainDecimal}) on a
 * worker thread into a small buffer of its own, whose rows are then copied to their place in the final float arrays
 * in input order ({@link BlockDispatcher}); on one thread, straight into the final arrays. No per-cell objects, no
 * pass over the input just to count its lines, and a file is never held in memory whole.
 */
public final class CsvReader {
  private static final int BLOCK_SIZE = 4 << 20;
  /** The longest CSV line accepted (a row of ~20 million numbers); longer is a located user error. */
  static final int MAX_LINE_BYTES = 256 << 20;
  private final int maxLineBytes;

  final byte delimiter;
  private final int threads;
  private final BlockParser parser;

  /**
   * @param delimiter field separator (usually {@code ','})
   * @param threads how many threads may parse one input
   */
  public CsvReader(byte delimiter, int threads) {
    this(delimiter, threads, MAX_LINE_BYTES);
  }

  CsvReader(byte delimiter, int threads, int maxLineBytes) {
    this.delimiter = delimiter;
    this.threads = Math.max(1, threads);
    this.maxLineBytes = maxLineBytes;
    this.parser = new BlockParser(delimiter);
  }

  /** Layout of a training file. */
  public record Layout(boolean label, boolean weight) {
    int leadingColumns() {
      return (label ? 1 : 0) + (weight ? 1 : 0);
    }
  }

  /** Guesses the separator from the first line: comma unless the line has none and has tabs, semicolons or pipes. */
  public static byte sniffDelimiter(byte[] data) {
    return sniffDelimiter(data, 0, data.length);
  }

  /** {@link #sniffDelimiter(byte[])} for the input {@code data[start, end)}. */
  public static byte sniffDelimiter(byte[] data, int start, int end) {
    int commas = 0;
    int tabs = 0;
    int semis = 0;
    int pipes = 0;
    // The first line with content: a blank first line (spaces, tabs) must not make the separator a tab.
    int first = firstContentLine(data, start, end);
    for (int i = first < 0 ? start : first; i < end && data[i] != '\n'; i++) {
      switch (data[i]) {
        case ',' -> commas++;
        case '\t' -> tabs++;
        case ';' -> semis++;
        case '|' -> pipes++;
        default -> { }
      }
    }
    if (commas > 0) {
      return ',';
    }
    if (tabs > 0) {
      return '\t';
    }
    if (semis > 0) {
      return ';';
    }
    return pipes > 0 ? (byte) '|' : (byte) ',';
  }

  /** Reads labelled training rows from memory. */
  public LabeledData readLabeled(byte[] data, String source, Layout layout) {
    return labeled(parseArray(data, source, layout), source, layout);
  }

  /**
   * Reads labelled training rows from a stream (a file, possibly gunzipped on the fly).
   *
   * @param sizeHint expected number of bytes (sizes the output arrays; a wrong guess only costs a copy)
   */
  public LabeledData readLabeled(InputStream in, long sizeHint, String source, Layout layout) {
    return labeled(parseStream(in, sizeHint, source, layout, -1), source, layout);
  }

  private static LabeledData labeled(ParsedRows out, String source, Layout layout) {
    float[] labels = Arrays.copyOf(out.labels, out.rows);
    float[] weights = layout.weight ? Arrays.copyOf(out.weights, out.rows) : null;
    long used = (long) out.rows * out.features;
    // Small results are trimmed (many small files cost their bytes); large ones keep their spare tail uncopied.
    float[] x = out.x.length > used && used < (1 << 20) ? Arrays.copyOf(out.x, (int) used) : out.x;
    return new LabeledData(source, new DenseBatch(out.rows, out.features, x), labels, weights);
  }

  /** Reads feature-only rows (an inference request) on the calling thread; rows must have the model's width. */
  public DenseBatch readFeatures(byte[] data, int start, int end, String source, int expectedColumns) {
    return readFeatures(data, start, end, source, expectedColumns, false, "");
  }

  /**
   * Reads feature-only rows; with {@code allowFewer}, rows narrower than {@code expectedColumns} (all of the same
   * width) are padded with missing values. {@code widthHint} is added to a too-few-features error.
   */
  public DenseBatch readFeatures(byte[] data, int start, int end, String source, int expectedColumns,
      boolean allowFewer, String widthHint) {
    Layout layout = new Layout(false, false);
    int first = firstContentLine(data, start, end);
    if (first < 0) {
      return new DenseBatch(0, Math.max(expectedColumns, 0), new float[0]);
    }
    int columns = countColumns(data, first, end);
    boolean pad = allowFewer && expectedColumns > 0 && columns < expectedColumns;
    checkFirstLine(data, start, end, first, columns, layout, () -> source, pad ? columns : expectedColumns,
        widthHint);
    int rows = LineCounter.count(data, start, end).rows();
    ParsedRows out = new ParsedRows(columns, layout, rows, null);
    CsvBlock block = new CsvBlock(data, start, end);
    parseBlock(block, out, 0);
    if (block.error != null) {
      throw locate(block, out, source);
    }
    return pad ? padRows(out.x, rows, columns, expectedColumns) : new DenseBatch(rows, columns, out.x);
  }

  /** Widens rows of {@code from} values to {@code to}, the extra values missing (NaN). */
  private static DenseBatch padRows(float[] x, int rows, int from, int to) {
    float[] wide = new float[Math.multiplyExact(rows, to)];
    Arrays.fill(wide, Float.NaN);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, r * from, wide, r * to, from);
    }
    return new DenseBatch(rows, to, wide);
  }

  private ParsedRows parseStream(InputStream in, long sizeHint, String source, Layout layout, int expectedFeatures) {
    BlockingQueue<byte[]> pool = new ArrayBlockingQueue<>(threads + 2);
    try (BlockDispatcher blocks = new BlockDispatcher(this, threads, sizeHint, source, layout, expectedFeatures)) {
      // A small file gets a buffer of its size and no worker threads: many small files cost about their bytes.
      byte[] buf = new byte[(int) (sizeHint > 0 ? Math.min(BLOCK_SIZE, Math.max(1 << 12, sizeHint + 1))
          : BLOCK_SIZE)];
      int carry = 0;
      boolean eof = false;
      while (!eof || carry > 0) {
        int len = carry;
        while (len < buf.length && !eof) {
          int n = in.read(buf, len, buf.length - len);
          if (n < 0) {
            eof = true;
          } else {
            len += n;
          }
        }
        int cut = len;
        if (!eof) {
          cut = lastNewline(buf, 0, len) + 1;
          if (cut == 0) {
            // One line longer than the buffer: grow it (up to the line limit) and read on.
            if (buf.length >= maxLineBytes) {
              throw lineTooLong(source, blocks.lineBase());
            }
            buf = Arrays.copyOf(buf, (int) Math.min(maxLineBytes, buf.length * 2L));
            carry = len;
            continue;
          }
        }
        if (blocks.skipsBlank(buf, 0, cut)) {
          if (eof) {
            break;
          }
          carry = shiftTail(buf, cut, len);
          continue;
        }
        byte[] tail = null;
        if (!eof) {
          // Only a file that continues needs a second buffer (for the part line after the cut).
          tail = pool.poll();
          if (tail == null || tail.length < buf.length) {
            tail = new byte[buf.length];
          }
          System.arraycopy(buf, cut, tail, 0, len - cut);
        }
        final byte[] done = buf;
        blocks.submit(buf, 0, cut, !eof, () -> pool.offer(done));
        carry = len - cut;
        buf = tail;
        if (eof && carry == 0) {
          break;
        }
      }
      return blocks.finish();
    } catch (IOException e) {
      throw dev.sagebox.engine.error.IoFailures.of("cannot read", source, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformError("interrupted while reading " + source, e);
    } catch (ExecutionException e) {
      throw BlockDispatcher.unwrap(e, source);
    }
  }

  /** As {@link #parseStream}, with the array's line-aligned blocks parsed where they lie (no copy into buffers). */
  private ParsedRows parseArray(byte[] data, String source, Layout layout) {
    try (BlockDispatcher blocks = new BlockDispatcher(this, threads, data.length, source, layout, -1)) {
      // Lines are limited as when read from a stream, whose buffers start at a block's size.
      int lineLimit = Math.max(maxLineBytes, BLOCK_SIZE);
      int pos = 0;
      while (pos < data.length) {
        int cut = data.length;
        if (data.length - pos > BLOCK_SIZE) {
          cut = lastNewline(data, pos, pos + BLOCK_SIZE) + 1;
          if (cut == 0) {
            int limit = (int) Math.min(data.length, (long) pos + lineLimit);
            int next = firstNewline(data, pos + BLOCK_SIZE, limit);
            if (next < 0 && limit - pos >= lineLimit) {
              throw lineTooLong(source, blocks.lineBase());
            }
            cut = next < 0 ? data.length : next + 1;
          }
        }
        if (!blocks.skipsBlank(data, pos, cut)) {
          blocks.submit(data, pos, cut, cut < data.length, null);
        }
        pos = cut;
      }
      return blocks.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformError("interrupted while reading " + source, e);
    } catch (ExecutionException e) {
      throw BlockDispatcher.unwrap(e, source);
    }
  }

  private DataFormatError lineTooLong(String source, long lineBase) {
    return new DataFormatError(source, lineBase + 1, 0, "the line is longer than " + maxLineBytes + " bytes (no line "
        + "break found); CSV rows must end with a newline, and a single row may be at most " + maxLineBytes
        + " bytes");
  }

  private static int shiftTail(byte[] buf, int cut, int len) {
    System.arraycopy(buf, cut, buf, 0, len - cut);
    return len - cut;
  }

  DataFormatError locate(CsvBlock b, ParsedRows out, String source) {
    long line = b.errorLine();
    Layout layout = out.layout;
    if (b.foundColumns >= 0) {
      String text = b.errorText;
      int found = b.foundColumns - layout.leadingColumns();
      String problem = layout.leadingColumns() == 0
          ? "found " + found + " feature(s); expected " + out.features + " (as on the first row)"
          : "found " + b.foundColumns + " column(s); expected " + out.columns + " (" + describe(layout) + " and "
              + out.features + " features, as on the first row)";
      return new DataFormatError(source, line, 0, problem + ": '" + text + "'");
    }
    boolean isLabel = b.errorColumn == 0 && layout.label;
    String what = isLabel ? "label" : (b.errorColumn == 1 && layout.weight ? "weight" : "value");
    String problem = FieldProblems.notANumber(what, b.errorToken);
    return new DataFormatError(source, line, b.errorColumn + 1, problem);
  }

  private static String describe(Layout layout) {
    return layout.weight ? "label, weight" : "label";
  }

  void checkFirstLine(byte[] data, int start, int end, int first, int columns, Layout layout,
      Supplier<String> source, int expectedFeatures) {
    checkFirstLine(data, start, end, first, columns, layout, source, expectedFeatures, "");
  }

  private void checkFirstLine(byte[] data, int start, int end, int first, int columns, Layout layout,
      Supplier<String> name, int expectedFeatures, String widthHint) {
    long line = Lines.lineOf(data, start, first);
    int features = columns - layout.leadingColumns();
    if (features < 1) {
      throw new DataFormatError(name.get(), line, 0, "found " + columns + " column(s); expected "
          + (layout.label ? "the label" + (layout.weight ? ", the weight" : "") + " and " : "")
          + "at least one feature");
    }
    NumberScanner s = new NumberScanner(data, first, end);
    try {
      s.readFloat(delimiter, delimiter, delimiter != '\t');
    } catch (NumberFormatException e) {
      int stop = first;
      while (stop < end && data[stop] != delimiter && data[stop] != '\n' && data[stop] != '\r') {
        stop++;
      }
      String token = new String(data, first, stop - first, StandardCharsets.UTF_8).strip();
      if (FieldProblems.startsWithByteOrderMark(token)) {
        throw new DataFormatError(name.get(), line, 1, FieldProblems.byteOrderMark(token));
      }
      throw new DataFormatError(name.get(), line, 1, "'" + token + "' is not a number; SageMaker CSV has no header row"
          + " and only numeric values (first line: '" + Lines.excerpt(data, start, end, first, 120) + "')");
    }
    if (expectedFeatures >= 0 && features != expectedFeatures) {
      throw new DataFormatError(name.get(), line, 0, "found " + features + " feature(s); the model expects "
          + expectedFeatures + (features < expectedFeatures && !widthHint.isEmpty() ? " (" + widthHint + ")" : ""));
    }
  }

  /**
   * Parses the rows of {@code block} into {@code out} from row {@code row} on, growing {@code out} when it fills;
   * stops at the block's end or its first bad line (recorded in the block). Sets {@code block.rows}.
   */
  void parseBlock(CsvBlock block, ParsedRows out, int row) {
    int next = parser.parse(block, out, row);
    while (block.error == null && block.pos < block.end) {
      out.ensureCapacity(out.capacity + 1L);
      next = parser.parse(block, out, next);
    }
    block.rows = next - row;
  }

  /** The last newline in {@code [start, end)}, or -1. */
  private static int lastNewline(byte[] data, int start, int end) {
    for (int i = end - 1; i >= start; i--) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The first newline in {@code [start, end)}, or -1. */
  private static int firstNewline(byte[] data, int start, int end) {
    for (int i = start; i < end; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }


  static int firstContentLine(byte[] data, int start, int end) {
    int p = start;
    while (p < end) {
      int lineStart = p;
      boolean blank = true;
      while (p < end && data[p] != '\n') {
        byte c = data[p];
        if (c != ' ' && c != '\t' && c != '\r') {
          blank = false;
        }
        p++;
      }
      if (!blank) {
        return lineStart;
      }
      p++;
    }
    return -1;
  }

  int countColumns(byte[] data, int lineStart, int end) {
    int cols = 1;
    // A CR ends the row as the parser ends it (CRLF, and a lone CR as classic Mac OS files end lines).
    for (int p = lineStart; p < end && data[p] != '\n' && data[p] != '\r'; p++) {
      if (data[p] == delimiter) {
        cols++;
      }
    }
    return cols;
  }


}
