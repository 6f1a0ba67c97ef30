package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.text.GrowableFloats;
import dev.sagebox.engine.data.text.Lines;
import dev.sagebox.engine.data.text.NumberScanner;
import dev.sagebox.engine.error.DataFormatError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * SageMaker-style CSV: no header, one record per line, an empty field is a missing value; in training data the
 * label is the first column (and with {@code csv_weights} the weight the second). Bytes are parsed straight into
 * float arrays; big inputs are cut at line ends and parsed on several threads.
 */
public final class CsvReader {
  /** Inputs smaller than this are parsed on the calling thread. */
  private static final int PARALLEL_THRESHOLD = 1 << 20;

  private final byte delimiter;
  private final int threads;

  /**
   * @param delimiter field separator (usually {@code ','})
   * @param threads how many threads may parse one input
   */
  public CsvReader(byte delimiter, int threads) {
    this.delimiter = delimiter;
    this.threads = Math.max(1, threads);
  }

  /** Layout of a training file. */
  public record Layout(boolean label, boolean weight) {
    int leadingColumns() {
      return (label ? 1 : 0) + (weight ? 1 : 0);
    }
  }

  /** Guesses the separator from the first line: comma unless the line has none and has tabs, semicolons or pipes. */
  public static byte sniffDelimiter(byte[] data) {
    int commas = 0;
    int tabs = 0;
    int semis = 0;
    int pipes = 0;
    for (int i = 0; i < data.length && data[i] != '\n'; i++) {
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

  /** Reads labelled training rows. */
  public LabeledData readLabeled(byte[] data, String source, Layout layout) {
    Parsed parsed = parse(data, 0, data.length, source, layout, -1);
    return new LabeledData(source, parsed.features(), parsed.labels, layout.weight ? parsed.weights : null);
  }

  /** Reads feature-only rows (an inference request); {@code expectedColumns} < 0 means "as the first row". */
  public DenseBatch readFeatures(byte[] data, int start, int end, String source, int expectedColumns) {
    return parse(data, start, end, source, new Layout(false, false), expectedColumns).features();
  }

  private Parsed parse(byte[] data, int start, int end, String source, Layout layout, int expectedFeatures) {
    int firstLine = firstContentLine(data, start, end);
    if (firstLine < 0) {
      return new Parsed(0, Math.max(expectedFeatures, 0), new float[0], new float[0], new float[0]);
    }
    int columns = countColumns(data, firstLine, end);
    int features = columns - layout.leadingColumns();
    if (features < 1) {
      throw new DataFormatError(source, Lines.lineOf(data, start, firstLine), 0,
          "found " + columns + " column(s); expected " + (layout.label ? "the label" : "")
              + (layout.weight ? ", the weight" : "") + " and at least one feature");
    }
    checkNotHeader(data, firstLine, end, source, start);
    int parts = (end - start) < PARALLEL_THRESHOLD ? 1 : threads;
    int[] cuts = Lines.splitAtNewlines(data, start, end, parts);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.length; i++) {
      chunks.add(new Chunk(data, cuts[i], cuts[i + 1], columns, layout, bytesPerLine(data, firstLine, end)));
    }
    if (chunks.size() == 1) {
      chunks.get(0).run();
    } else {
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (Chunk c : chunks.subList(1, chunks.size())) {
        futures.add(CompletableFuture.runAsync(c));
      }
      chunks.get(0).run();
      try {
        futures.forEach(CompletableFuture::join);
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re && !(re instanceof ChunkError)) {
          throw re;
        }
      }
    }
    for (Chunk c : chunks) {
      if (c.error != null) {
        throw locate(c.error, data, start, end, source, columns, layout, expectedFeatures);
      }
    }
    if (expectedFeatures >= 0 && features != expectedFeatures) {
      throw new DataFormatError(source, Lines.lineOf(data, start, firstLine), 0,
          "found " + features + " feature(s); the model expects " + expectedFeatures);
    }
    return merge(chunks, features);
  }

  private static Parsed merge(List<Chunk> chunks, int features) {
    if (chunks.size() == 1) {
      Chunk c = chunks.get(0);
      return new Parsed(c.rows, features, c.features.toArray(), c.labels.toArray(), c.weights.toArray());
    }
    int rows = 0;
    for (Chunk c : chunks) {
      rows += c.rows;
    }
    float[] x = new float[Math.multiplyExact(rows, features)];
    float[] y = new float[rows];
    float[] w = new float[rows];
    int rowAt = 0;
    for (Chunk c : chunks) {
      System.arraycopy(c.features.array(), 0, x, rowAt * features, c.rows * features);
      System.arraycopy(c.labels.array(), 0, y, rowAt, c.labels.size());
      System.arraycopy(c.weights.array(), 0, w, rowAt, c.weights.size());
      rowAt += c.rows;
    }
    return new Parsed(rows, features, x, y, w);
  }

  private DataFormatError locate(ChunkError e, byte[] data, int start, int end, String source, int columns,
      Layout layout, int expectedFeatures) {
    long line = Lines.lineOf(data, start, e.offset);
    String text = Lines.excerpt(data, start, end, e.offset, 120);
    String problem;
    if (e.foundColumns >= 0) {
      int found = e.foundColumns - layout.leadingColumns();
      int expected = expectedFeatures >= 0 ? expectedFeatures : columns - layout.leadingColumns();
      problem = layout.leadingColumns() == 0
          ? "found " + found + " feature(s); expected " + expected + " (as on the first row)"
          : "found " + e.foundColumns + " column(s); expected " + columns + " ("
              + describe(layout) + " and " + expected + " features, as on the first row)";
      return new DataFormatError(source, line, 0, problem + ": '" + text + "'");
    }
    String what = e.column == 0 && layout.label ? "label" : (e.column == 1 && layout.weight ? "weight" : "value");
    problem = "cannot read " + what + " '" + e.token + "' as a number (accepted: decimal numbers such as 1, -0.5, "
        + "2.5e-3, nan, inf; an empty field means missing)";
    if (e.column == 0 && layout.label && e.token.isEmpty()) {
      problem = "the label (first column) is empty; every training row needs a label";
    }
    return new DataFormatError(source, line, e.column + 1, problem);
  }

  private static String describe(Layout layout) {
    return layout.weight ? "label, weight" : "label";
  }

  private void checkNotHeader(byte[] data, int firstLine, int end, String source, int start) {
    NumberScanner s = new NumberScanner(data, firstLine, end);
    try {
      s.readFloat(delimiter, delimiter, delimiter != '\t');
    } catch (NumberFormatException e) {
      String text = Lines.excerpt(data, start, end, firstLine, 120);
      int stop = firstLine;
      while (stop < end && data[stop] != delimiter && data[stop] != '\n' && data[stop] != '\r') {
        stop++;
      }
      String token = new String(data, firstLine, stop - firstLine, java.nio.charset.StandardCharsets.UTF_8);
      throw new DataFormatError(source, Lines.lineOf(data, start, firstLine), 1,
          "'" + token.strip() + "' is not a number; SageMaker CSV has no header row and only numeric values"
              + " (first line: '" + text + "')");
    }
  }

  private static int firstContentLine(byte[] data, int start, int end) {
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

  private int countColumns(byte[] data, int lineStart, int end) {
    int cols = 1;
    for (int p = lineStart; p < end && data[p] != '\n'; p++) {
      if (data[p] == delimiter) {
        cols++;
      }
    }
    return cols;
  }

  private static int bytesPerLine(byte[] data, int lineStart, int end) {
    int p = lineStart;
    while (p < end && data[p] != '\n') {
      p++;
    }
    return Math.max(1, p - lineStart + 1);
  }

  private record Parsed(int rows, int width, float[] x, float[] labels, float[] weights) {
    DenseBatch features() {
      return new DenseBatch(rows, width, x);
    }
  }

  /** Where a chunk stopped: a bad token (column >= 0) or a row of the wrong width (foundColumns >= 0). */
  private static final class ChunkError extends RuntimeException {
    final int offset;
    final int column;
    final String token;
    final int foundColumns;

    ChunkError(int offset, int column, String token, int foundColumns) {
      super(null, null, false, false);
      this.offset = offset;
      this.column = column;
      this.token = token;
      this.foundColumns = foundColumns;
    }
  }

  /** Parses one line-aligned slice of the input. */
  private final class Chunk implements Runnable {
    private final byte[] data;
    private final int start;
    private final int end;
    private final int columns;
    private final Layout layout;
    final GrowableFloats features;
    final GrowableFloats labels;
    final GrowableFloats weights;
    int rows;
    ChunkError error;

    Chunk(byte[] data, int start, int end, int columns, Layout layout, int bytesPerLine) {
      this.data = data;
      this.start = start;
      this.end = end;
      this.columns = columns;
      this.layout = layout;
      int estimatedRows = (int) Math.min(Integer.MAX_VALUE / Math.max(1, columns), (end - start) / bytesPerLine + 16L);
      int featureCols = columns - layout.leadingColumns();
      this.features = new GrowableFloats((int) Math.min(Integer.MAX_VALUE - 8L,
          (long) estimatedRows * featureCols + featureCols));
      this.labels = new GrowableFloats(layout.label ? estimatedRows : 0);
      this.weights = new GrowableFloats(layout.weight ? estimatedRows : 0);
    }

    @Override
    public void run() {
      try {
        parseAll();
      } catch (ChunkError e) {
        error = e;
      }
    }

    private void parseAll() {
      final byte delim = delimiter;
      final boolean tabIsBlank = delim != '\t';
      final int lead = layout.leadingColumns();
      NumberScanner s = new NumberScanner(data, start, end);
      while (!s.atEnd()) {
        int lineStart = s.pos;
        if (isBlankLine(s)) {
          continue;
        }
        int col = 0;
        while (true) {
          int fieldStart = s.pos;
          float v;
          try {
            v = s.readFloat(delim, delim, tabIsBlank);
          } catch (NumberFormatException e) {
            throw new ChunkError(fieldStart, col, token(fieldStart, delim), -1);
          }
          if (col < lead) {
            if (col == 0 && layout.label) {
              if (Float.isNaN(v)) {
                throw new ChunkError(fieldStart, col, token(fieldStart, delim), -1);
              }
              labels.add(v);
            } else {
              weights.add(Float.isNaN(v) ? 1f : v);
            }
          } else if (col < columns) {
            features.add(v);
          }
          col++;
          if (s.pos < end && data[s.pos] == delim) {
            s.pos++;
            continue;
          }
          break;
        }
        // Now at a line end (\r?\n) or the end of input.
        if (s.pos < end && data[s.pos] == '\r') {
          s.pos++;
        }
        if (s.pos < end && data[s.pos] == '\n') {
          s.pos++;
        }
        if (col != columns) {
          throw new ChunkError(lineStart, -1, "", col);
        }
        rows++;
      }
    }

    private boolean isBlankLine(NumberScanner s) {
      int p = s.pos;
      while (p < end && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r')) {
        p++;
      }
      if (p >= end) {
        s.pos = end;
        return true;
      }
      if (data[p] == '\n') {
        s.pos = p + 1;
        return true;
      }
      return false;
    }

    private String token(int from, byte delim) {
      int p = from;
      while (p < end && data[p] != delim && data[p] != '\n' && data[p] != '\r') {
        p++;
      }
      String t = new String(data, from, p - from, java.nio.charset.StandardCharsets.UTF_8).strip();
      return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
  }
}
