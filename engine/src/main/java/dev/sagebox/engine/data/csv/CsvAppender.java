package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.RowAppender;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Appends the rows of many whole CSV files (see {@link RowAppender}) to one set of growing arrays, each file parsed
 * on the calling thread: no buffers, threads or arrays per file. Each file's separator is detected from its first
 * line and its first line checked (no header), as when it is read alone; all files need the same columns.
 */
public final class CsvAppender implements RowAppender {
  private final String channel;
  private final CsvReader.Layout layout;
  private CsvReader reader;
  private ParsedRows out;
  private int rows;
  private int files;
  private String first;

  /** @param channel the channel's name, for messages */
  public CsvAppender(String channel, CsvReader.Layout layout) {
    this.channel = channel;
    this.layout = layout;
  }

  @Override
  public void append(byte[] data, int start, int end, Supplier<String> name) {
    int firstLine = CsvReader.firstContentLine(data, start, end);
    if (firstLine < 0) {
      return;
    }
    byte delimiter = CsvReader.sniffDelimiter(data, start, end);
    if (reader == null || reader.delimiter != delimiter) {
      reader = new CsvReader(delimiter, 1);
    }
    int columns = reader.countColumns(data, firstLine, end);
    reader.checkFirstLine(data, start, end, firstLine, columns, layout, name, -1);
    int features = columns - layout.leadingColumns();
    if (out == null) {
      first = name.get();
      out = new ParsedRows(columns, layout, 1 << 10, first);
    } else if (columns != out.columns) {
      throw new dev.sagebox.engine.error.UserError("channel '" + channel + "': " + name.get() + " has " + features
          + " features but " + first + " has " + out.features + "; all files need the same columns");
    }
    int fileRows = LineCounter.count(data, start, end).rows();
    long needed = rows + (long) fileRows;
    if (needed * features > Integer.MAX_VALUE - 16) {
      throw new dev.sagebox.engine.error.UserError("channel '" + channel + "' holds more than 2^31 feature "
          + "values (reached at " + name.get() + "); one channel may hold at most " + (Integer.MAX_VALUE - 16)
          + " values (rows x features)");
    }
    out.ensureCapacity(needed);
    CsvBlock block = new CsvBlock(data, start, end);
    reader.parseBlock(block, out, rows);
    if (block.error != null) {
      throw reader.locate(block, out, name.get());
    }
    rows += block.rows;
    files++;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int files() {
    return files;
  }

  @Override
  public String firstSource() {
    return first;
  }

  @Override
  public LabeledData finish(String source) {
    if (out == null) {
      return new LabeledData(source, new DenseBatch(0, 0, new float[0]), new float[0],
          layout.weight() ? new float[0] : null);
    }
    float[] labels = Arrays.copyOf(out.labels, rows);
    float[] weights = layout.weight() ? Arrays.copyOf(out.weights, rows) : null;
    int features = out.features;
    int used = rows * features;
    // The spare capacity of the last growth is given back when it is more than a small share.
    float[] x = out.x.length - used > used / 8 ? Arrays.copyOf(out.x, used) : out.x;
    out = null;
    return new LabeledData(source, new DenseBatch(rows, features, x), labels, weights);
  }
}
