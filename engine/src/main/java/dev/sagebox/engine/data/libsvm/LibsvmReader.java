package dev.sagebox.engine.data.libsvm;

import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.RowAppender;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.text.GrowableFloats;
import dev.sagebox.engine.data.text.GrowableInts;
import dev.sagebox.engine.data.text.Lines;
import dev.sagebox.engine.data.text.NumberScanner;
import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * libsvm text: {@code <label>[:<weight>] <index>:<value> ...}, one row per line, blanks between tokens, {@code #}
 * starts a comment. Indices are kept as written (see {@link dev.sagebox.engine.data.ChannelLoader#numberLibsvm} for
 * 1-based files); an index with nothing after the colon ({@code 8:}) has the value 0, as stock XGBoost reads it.
 * Inference requests may omit the label.
 */
public final class LibsvmReader {
  private static final int PARALLEL_THRESHOLD = 1 << 20;
  private final int threads;

  public LibsvmReader(int threads) {
    this.threads = Math.max(1, threads);
  }

  /** Reads labelled training rows. */
  public LabeledData readLabeled(byte[] data, String source) {
    Result r = parse(data, 0, data.length, source, true);
    return new LabeledData(source, r.batch, r.labels, r.hasWeights ? r.weights : null);
  }

  /**
   * Reads feature rows of a request. A leading token without a colon is taken as a label and ignored, so rows
   * copied from a training file work too.
   */
  public SparseBatch readFeatures(byte[] data, int start, int end, String source) {
    return parse(data, start, end, source, false).batch;
  }

  private record Result(SparseBatch batch, float[] labels, float[] weights, boolean hasWeights) {}

  private Result parse(byte[] data, int start, int end, String source, boolean labelled) {
    int parts = end - start < PARALLEL_THRESHOLD ? 1 : threads;
    int[] cuts = Lines.splitAtNewlines(data, start, end, parts);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.length; i++) {
      Chunk c = new Chunk(labelled, (cuts[i + 1] - cuts[i]) / 8);
      c.slice(data, cuts[i], cuts[i + 1]);
      chunks.add(c);
    }
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (Chunk c : chunks.subList(1, chunks.size())) {
      futures.add(CompletableFuture.runAsync(c));
    }
    chunks.get(0).run();
    futures.forEach(CompletableFuture::join);
    for (Chunk c : chunks) {
      if (c.errorOffset >= 0) {
        throw error(c, data, start, end, source);
      }
    }
    return assemble(chunks);
  }

  private static DataFormatError error(Chunk c, byte[] data, int start, int end, String source) {
    return new DataFormatError(source, Lines.lineOf(data, start, c.errorOffset), 0, "token " + c.errorToken + ": "
        + c.errorMessage + " (line: '" + Lines.excerpt(data, start, end, c.errorOffset, 120) + "')");
  }

  /** The chunks' rows, in order, in arrays of their size. */
  private static Result assemble(List<Chunk> chunks) {
    int rows = 0;
    int nnz = 0;
    int maxIndex = -1;
    boolean hasWeights = false;
    for (Chunk c : chunks) {
      rows += c.labels.size();
      nnz += c.indices.size();
      maxIndex = Math.max(maxIndex, c.maxIndex);
      hasWeights |= c.sawWeight;
    }
    long[] offsets = new long[rows + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    float[] labels = new float[rows];
    float[] weights = new float[rows];
    int row = 0;
    int at = 0;
    for (Chunk c : chunks) {
      int[] ends = c.rowEnds.array();
      for (int i = 0; i < c.labels.size(); i++) {
        offsets[row + i + 1] = at + (long) ends[i];
      }
      System.arraycopy(c.indices.array(), 0, indices, at, c.indices.size());
      System.arraycopy(c.values.array(), 0, values, at, c.values.size());
      System.arraycopy(c.labels.array(), 0, labels, row, c.labels.size());
      System.arraycopy(c.weights.array(), 0, weights, row, c.weights.size());
      row += c.labels.size();
      at += c.indices.size();
    }
    return new Result(new SparseBatch(rows, maxIndex + 1, offsets, indices, values), labels, weights, hasWeights);
  }

  /**
   * Appends the rows of many whole libsvm files (see {@link RowAppender}): one set of growing arrays for all of
   * them, each file parsed on the calling thread. Indices are kept as written, as for one file.
   */
  public static final class Appender implements RowAppender {
    private final Chunk rows = new Chunk(true, 1 << 12);
    private int files;
    private String first;

    @Override
    public void append(byte[] data, int start, int end, Supplier<String> source) {
      int before = rows.labels.size();
      rows.slice(data, start, end);
      rows.run();
      rows.slice(null, 0, 0);
      if (rows.errorOffset >= 0) {
        throw error(rows, data, start, end, source.get());
      }
      if (rows.labels.size() > before) {
        files++;
        first = first == null ? source.get() : first;
      }
    }

    @Override
    public int rows() {
      return rows.labels.size();
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
      Result r = assemble(List.of(rows));
      return new LabeledData(source, r.batch, r.labels, r.hasWeights ? r.weights : null);
    }
  }

  /** Parses one line-aligned slice. Errors are recorded (offset, token number, message), not thrown. */
  private static final class Chunk implements Runnable {
    private byte[] data;
    private int start;
    private int end;
    private final boolean labelled;
    final GrowableInts indices;
    final GrowableFloats values;
    final GrowableFloats labels;
    final GrowableFloats weights;
    final GrowableInts rowEnds;
    int maxIndex = -1;
    boolean sawWeight;
    int errorOffset = -1;
    int errorToken;
    String errorMessage;

    /** @param guess how many entries to make room for at first */
    Chunk(boolean labelled, int guess) {
      this.labelled = labelled;
      int entries = Math.max(16, guess);
      indices = new GrowableInts(entries);
      values = new GrowableFloats(entries);
      labels = new GrowableFloats(entries / 16);
      weights = new GrowableFloats(entries / 16);
      rowEnds = new GrowableInts(entries / 16);
    }

    /** What {@link #run} parses next: its rows are added after those parsed before. */
    void slice(byte[] data, int start, int end) {
      this.data = data;
      this.start = start;
      this.end = end;
    }

    @Override
    public void run() {
      NumberScanner s = new NumberScanner(data, start, end);
      int p = start;
      while (p < end) {
        int lineEnd = p;
        while (lineEnd < end && data[lineEnd] != '\n') {
          lineEnd++;
        }
        if (!parseLine(s, p, lineEnd)) {
          return;
        }
        p = lineEnd + 1;
      }
    }

    private boolean parseLine(NumberScanner s, int from, int lineEnd) {
      int stop = from;
      while (stop < lineEnd && data[stop] != '#') {
        stop++;
      }
      while (stop > from && (data[stop - 1] == ' ' || data[stop - 1] == '\t' || data[stop - 1] == '\r')) {
        stop--;
      }
      int p = skipBlanks(from, stop);
      if (p >= stop) {
        return true;
      }
      int token = 1;
      int firstEnd = tokenEnd(p, stop);
      int colon = indexOf(p, firstEnd, (byte) ':');
      boolean firstIsLabel = labelled || colon < 0 || isLabelWithWeight(p, firstEnd, colon);
      if (firstIsLabel) {
        float label;
        float weight = 1f;
        int labelEnd = colon >= 0 ? colon : firstEnd;
        try {
          label = number(p, labelEnd);
        } catch (NumberFormatException e) {
          return fail(p, token, "cannot read label '" + text(p, labelEnd) + "' as a number");
        }
        if (Float.isNaN(label) && labelled) {
          return fail(p, token, "the label is missing; every training row starts with a numeric label");
        }
        if (colon >= 0) {
          try {
            weight = number(colon + 1, firstEnd);
            sawWeight = true;
          } catch (NumberFormatException e) {
            return fail(p, token, "cannot read weight '" + text(colon + 1, firstEnd) + "' in '"
                + text(p, firstEnd) + "' (accepted: <label> or <label>:<weight>)");
          }
        }
        labels.add(label);
        weights.add(weight);
        p = skipBlanks(firstEnd, stop);
        token++;
      } else {
        labels.add(Float.NaN);
        weights.add(1f);
      }
      int previous = -1;
      while (p < stop) {
        int e = tokenEnd(p, stop);
        int c = indexOf(p, e, (byte) ':');
        if (c < 0) {
          return fail(p, token, "'" + text(p, e) + "' is not an index:value pair");
        }
        if (c - p == 3 && data[p] == 'q' && data[p + 1] == 'i' && data[p + 2] == 'd') {
          return fail(p, token, "query ids ('qid:') are not supported yet");
        }
        int index = 0;
        for (int i = p; i < c; i++) {
          int d = data[i] - '0';
          if (d < 0 || d > 9 || index > 200_000_000) {
            return fail(p, token, "index '" + text(p, c) + "' in '" + text(p, e)
                + "' is not a non-negative integer (below 200,000,000)");
          }
          index = index * 10 + d;
        }
        if (c == p) {
          return fail(p, token, "'" + text(p, e) + "' has no index before ':'");
        }
        if (index <= previous) {
          return fail(p, token, "index " + index + " does not increase (previous index " + previous
              + "); indices must be in ascending order without repeats");
        }
        float v;
        try {
          // "8:" with nothing after the colon is 0, as stock XGBoost reads it.
          v = c + 1 == e ? 0f : number(c + 1, e);
        } catch (NumberFormatException ex) {
          return fail(p, token, "cannot read value '" + text(c + 1, e) + "' of index " + index + " as a number");
        }
        indices.add(index);
        values.add(v);
        maxIndex = Math.max(maxIndex, index);
        previous = index;
        p = skipBlanks(e, stop);
        token++;
      }
      rowEnds.add(indices.size());
      return true;
    }

    private boolean isLabelWithWeight(int p, int e, int colon) {
      // "1:0.5" at the start of a request row is ambiguous; a label with weight has a '.' or '-' before the colon.
      for (int i = p; i < colon; i++) {
        if (data[i] == '.' || data[i] == '-') {
          return true;
        }
      }
      return false;
    }

    private float number(int from, int to) {
      if (from >= to) {
        throw new NumberFormatException("empty");
      }
      NumberScanner s = new NumberScanner(data, from, to);
      float v = s.readFloat((byte) ' ', (byte) '\t', false);
      if (s.pos != to) {
        throw new NumberFormatException(text(from, to));
      }
      return v;
    }

    private boolean fail(int offset, int token, String message) {
      errorOffset = offset;
      errorToken = token;
      errorMessage = message;
      return false;
    }

    private int skipBlanks(int p, int stop) {
      while (p < stop && (data[p] == ' ' || data[p] == '\t')) {
        p++;
      }
      return p;
    }

    private int tokenEnd(int p, int stop) {
      while (p < stop && data[p] != ' ' && data[p] != '\t') {
        p++;
      }
      return p;
    }

    private int indexOf(int from, int to, byte b) {
      for (int i = from; i < to; i++) {
        if (data[i] == b) {
          return i;
        }
      }
      return -1;
    }

    private String text(int from, int to) {
      String t = new String(data, from, Math.max(0, to - from), StandardCharsets.UTF_8);
      return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
  }
}
