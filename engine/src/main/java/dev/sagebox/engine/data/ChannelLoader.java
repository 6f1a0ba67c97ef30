package dev.sagebox.engine.data;

import dev.sagebox.engine.data.csv.CsvAppender;
import dev.sagebox.engine.data.csv.CsvReader;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.data.parquet.ParquetReader;
import dev.sagebox.engine.data.recordio.RecordIOPayloads;
import dev.sagebox.engine.data.recordio.RecordIOProtobufReader;
import dev.sagebox.engine.error.UserError;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a training channel into memory: reads each file, picks (or detects) the format, parses it and stacks the
 * files' rows in name order.
 */
public final class ChannelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelLoader.class);
  /**
   * Files up to this size (on disk, and gunzipped) are read whole and parsed on the calling thread: the size below
   * which a streamed file would be one parser block anyway, so parsing loses no parallelism.
   */
  static final int WHOLE_FILE_BYTES = (4 << 20) - 1;
  /** How much of a file format detection looks at. */
  private static final int HEAD_BYTES = 1 << 16;
  private final int threads;
  private final PipeInput pipeInput;
  private final int wholeFileBytes;

  public ChannelLoader(int threads) {
    this(threads, new PipeInput(java.time.Duration.ofMinutes(10)));
  }

  /** As {@link #ChannelLoader(int)}; a stop request ends a wait for a Pipe-mode pipe. */
  public ChannelLoader(int threads, java.util.function.BooleanSupplier stopRequested) {
    this(threads, new PipeInput(java.time.Duration.ofMinutes(10), stopRequested));
  }

  public ChannelLoader(int threads, PipeInput pipeInput) {
    this(threads, pipeInput, WHOLE_FILE_BYTES);
  }

  /** With another size limit for files read whole (tests: both paths with small files). */
  ChannelLoader(int threads, PipeInput pipeInput, int wholeFileBytes) {
    this.threads = threads;
    this.pipeInput = pipeInput;
    this.wholeFileBytes = wholeFileBytes;
  }

  /**
   * Loads a channel: all its files in File mode, its epoch-0 pipe in Pipe mode. Values are as written; callers apply
   * {@link FiniteValues} once they know which columns are features (survival:aft's upper bound may be inf).
   */
  public LabeledData load(dev.sagebox.engine.model.ChannelInput c, boolean weightColumn) {
    return c.pipe() ? loadPipe(c, 0, weightColumn) : load(c.name(), c.files(), c.format(), weightColumn);
  }

  /**
   * Reads one epoch of a Pipe-mode channel: the pipe {@code <channel>_<epoch>}, read once from start to end. The
   * format is the declared one, or detected from the first bytes, which are looked at without consuming them.
   */
  public LabeledData loadPipe(dev.sagebox.engine.model.ChannelInput c, int epoch, boolean weightColumn) {
    Path pipe = c.pipeFor(epoch);
    String source = c.name() + "_" + epoch;
    try (InputStream opened = pipeInput.open(pipe, c.name(), epoch);
        InputStream raw = c.recordWrapped() ? new RecordIOPayloads(opened, source) : opened;
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 1 << 20)) {
      in.mark(1 << 16);
      byte[] head = in.readNBytes(1 << 16);
      in.reset();
      TextFormat format = c.format() != null ? c.format() : TextFormat.sniff(head);
      if (format == null) {
        throw new UserError("channel '" + c.name() + "': the epoch-" + epoch + " pipe " + pipe + " held no data");
      }
      LabeledData d = switch (format) {
        case CSV -> new CsvReader(CsvReader.sniffDelimiter(head), threads).readLabeled(in, 0, source,
            new CsvReader.Layout(true, weightColumn));
        case LIBSVM -> new LibsvmReader(threads).readLabeled(in.readAllBytes(), source);
        case RECORDIO_PROTOBUF -> RecordIOProtobufReader.readLabeled(in, -1, source);
        case PARQUET -> throw new UserError("channel '" + c.name() + "': Parquet cannot be read from a pipe (its "
            + "index is at the end of the file); use TrainingInputMode File or FastFile, or CSV / RecordIO-protobuf "
            + "in Pipe mode");
      };
      if (d.rows() == 0) {
        throw new UserError("channel '" + c.name() + "': the epoch-" + epoch + " pipe " + pipe + " held no rows");
      }
      return d;
    } catch (java.io.IOException e) {
      throw new dev.sagebox.engine.error.PlatformError("cannot read the pipe " + pipe + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads the files of a channel in name order and stacks their rows.
   *
   * <p>Files under {@link #WHOLE_FILE_BYTES} (on disk and gunzipped) are read whole, a few at a time ahead of the
   * parser ({@link FilePrefetch}), and consecutive CSV or libsvm ones are parsed on the calling thread into one set
   * of growing arrays ({@link RowAppender}): a channel of 100,000 small files costs about its rows, not a stream,
   * buffers and arrays per file. Larger files are streamed, parsed block by block on {@code threads} threads.
   *
   * @param channel channel name, for messages
   * @param files the channel's files (see {@link ChannelFiles#list})
   * @param declared the channel's format from its ContentType, or {@code null} to detect it from the content
   * @param weightColumn CSV only: the second column is an instance weight
   */
  public LabeledData load(String channel, List<Path> files, TextFormat declared, boolean weightColumn) {
    if (files.isEmpty()) {
      throw new UserError("channel '" + channel + "' has no data files");
    }
    Parts parts = new Parts(channel, weightColumn);
    FormatCheck formats = new FormatCheck(channel, declared);
    RowOrigins origins = new RowOrigins(channel, weightColumn ? 2 : 1);
    try (FilePrefetch ahead = new FilePrefetch(files, threads, wholeFileBytes, wholeFileBytes)) {
      for (Path file : files) {
        ChannelFiles.Whole whole = ahead.next();
        if (whole.content() == null) {
          String source = sourceName(channel, file);
          // One open per file: the head (format, delimiter) is peeked from the same buffered, gunzipped stream.
          try (ChannelFiles.Peekable in = ChannelFiles.openPeekable(file, HEAD_BYTES)) {
            TextFormat format = formats.of(file, in.head());
            if (format != null) {
              int before = parts.rows();
              parts.add(source, readStream(format, in, file, source, weightColumn));
              origins.add(file, format, 1, parts.rows() - before);
            }
          }
          continue;
        }
        byte[] data = whole.content();
        // Detection looks at the same first 64 KB a streamed file shows.
        TextFormat format = formats.of(file, data.length <= HEAD_BYTES ? data : Arrays.copyOf(data, HEAD_BYTES));
        if (format == null) {
          continue;
        }
        int before = parts.rows();
        if (format == TextFormat.CSV || format == TextFormat.LIBSVM) {
          parts.append(format, data, () -> sourceName(channel, file));
        } else {
          String source = sourceName(channel, file);
          parts.add(source, format == TextFormat.PARQUET ? readParquet(file, whole.gzip(), source)
              : RecordIOProtobufReader.readLabeled(new ByteArrayInputStream(data), data.length, source));
        }
        origins.add(file, format, 1, parts.rows() - before);
      }
    }
    return parts.stacked(files.size()).from(origins);
  }

  /** How messages name a file of a channel: {@code channel/file-name}. */
  private static String sourceName(String channel, Path file) {
    return ChannelFiles.displayName(channel, file);
  }

  private LabeledData readStream(TextFormat format, ChannelFiles.Peekable in, Path file, String source,
      boolean weightColumn) {
    return switch (format) {
      case CSV -> new CsvReader(CsvReader.sniffDelimiter(in.head()), threads).readLabeled(in.stream(),
          in.gzip() ? in.size() * 4 : in.size(), source, new CsvReader.Layout(true, weightColumn));
      case LIBSVM -> new LibsvmReader(threads).readLabeled(in.readAll(), source);
      case RECORDIO_PROTOBUF -> RecordIOProtobufReader.readLabeled(in.stream(), in.gzip() ? -1 : in.size(), source);
      case PARQUET -> readParquet(file, in.gzip(), source);
    };
  }

  private LabeledData readParquet(Path file, boolean gzip, String source) {
    if (gzip) {
      throw new UserError(source + " is gzip-compressed; Parquet files are read as they are (their pages "
          + "are compressed inside the file): send the .parquet file itself");
    }
    return new ParquetReader(threads).readLabeled(file, source);
  }

  /**
   * The format of each file: the declared one, or detected from its first bytes; detected formats must agree. The
   * detection is logged for the first file only (not once per file of a channel of thousands).
   */
  private static final class FormatCheck {
    private final String channel;
    private final TextFormat declared;
    private TextFormat seen;

    FormatCheck(String channel, TextFormat declared) {
      this.channel = channel;
      this.declared = declared;
    }

    /** The file's format, or {@code null} when it has no content (it is skipped). */
    TextFormat of(Path file, byte[] head) {
      if (declared != null) {
        return declared;
      }
      TextFormat format = TextFormat.sniff(head);
      if (format == null) {
        LOG.warn("channel '{}': {} is empty, skipped", channel, file.getFileName());
        return null;
      }
      if (seen == null) {
        LOG.info("channel '{}' has no ContentType: {} looks like {} ({}); set ContentType to be explicit",
            channel, file.getFileName(), format.mediaType().essence(), reason(format));
      } else if (seen != format) {
        throw new UserError("channel '" + channel + "' mixes formats: " + file + " looks like "
            + format.mediaType().essence() + " but earlier files look like " + seen.mediaType().essence()
            + "; set the channel's ContentType or keep one format per channel");
      }
      seen = format;
      return format;
    }
  }

  /**
   * The channel's rows as they are read: runs of small CSV or libsvm files go to one {@link RowAppender}; each
   * other file (large, streamed; RecordIO-protobuf; Parquet) is a part of its own. The parts are stacked at the end;
   * a channel that is one run or one file is returned without a copy.
   */
  private static final class Parts {
    private final String channel;
    private final boolean weightColumn;
    private final List<LabeledData> parts = new ArrayList<>();
    private final List<String> firstFiles = new ArrayList<>();
    private RowAppender run;
    private TextFormat runFormat;
    private int rows;

    Parts(String channel, boolean weightColumn) {
      this.channel = channel;
      this.weightColumn = weightColumn;
    }

    void append(TextFormat format, byte[] data, java.util.function.Supplier<String> source) {
      if (run != null && runFormat != format) {
        endRun();
      }
      if (run == null) {
        run = format == TextFormat.CSV
            ? new CsvAppender(channel, new CsvReader.Layout(true, weightColumn))
            : new LibsvmReader.Appender();
        runFormat = format;
      }
      run.append(data, 0, data.length, source);
    }

    void add(String source, LabeledData part) {
      endRun();
      if (part.rows() > 0) {
        parts.add(part);
        firstFiles.add(source);
        rows += part.rows();
      }
    }

    /** The rows read so far, in runs and parts. */
    int rows() {
      return rows + (run == null ? 0 : run.rows());
    }

    private void endRun() {
      if (run != null && run.rows() > 0) {
        int runRows = run.rows();
        parts.add(run.finish(run.files() == 1 ? run.firstSource() : channel));
        firstFiles.add(run.firstSource());
        rows += runRows;
      }
      run = null;
    }

    LabeledData stacked(int fileCount) {
      endRun();
      if (parts.isEmpty()) {
        throw new UserError("channel '" + channel + "' holds no rows (" + fileCount + " file(s), all empty)");
      }
      return stack(channel, parts, firstFiles);
    }
  }

  /** Training sets after the libsvm numbering was decided for all of them together. */
  public record Numbered(LibsvmIndexing indexing, List<LabeledData> sets) {}

  /**
   * Decides how the libsvm sets among {@code sets} are numbered, as AWS's XGBoost container does: when their
   * smallest index is 1 or more they are 1-based and shifted to 0-based (so a model trained from indices 1..8 has 8
   * features). The decision covers every set at once (train and validation), so both stay aligned. Dense sets are
   * unchanged; {@code null} entries (absent channels) stay {@code null}. With no libsvm set at all the indexing is
   * {@link LibsvmIndexing#PER_REQUEST}: requests in libsvm are then read by AWS's per-request rule.
   */
  public static Numbered numberLibsvm(List<LabeledData> sets) {
    int min = Integer.MAX_VALUE;
    boolean anySparse = false;
    for (LabeledData d : sets) {
      if (d != null && d.features() instanceof SparseBatch s) {
        anySparse = true;
        int smallest = s.smallestIndex();
        if (smallest >= 0) {
          min = Math.min(min, smallest);
        }
      }
    }
    if (!anySparse) {
      return new Numbered(LibsvmIndexing.PER_REQUEST, sets);
    }
    LibsvmIndexing indexing = LibsvmIndexing.forTraining(min == Integer.MAX_VALUE ? 0 : min);
    if (indexing == LibsvmIndexing.ZERO_BASED) {
      return new Numbered(indexing, sets);
    }
    List<LabeledData> out = new ArrayList<>();
    for (LabeledData d : sets) {
      if (d != null && d.features() instanceof SparseBatch s) {
        LOG.info("channel '{}': libsvm indices start at 1 or more; read as 1-based and shifted to 0-based "
            + "(feature 1 is column 0 of the model)", d.source());
        out.add(new LabeledData(d.source(), s.shiftedDown(), d.labels(), d.weights(), d.origins()));
      } else {
        out.add(d);
      }
    }
    return new Numbered(indexing, java.util.Collections.unmodifiableList(out));
  }

  private static String reason(TextFormat f) {
    return switch (f) {
      case LIBSVM -> "tokens of the form index:value";
      case CSV -> "no index:value tokens";
      case RECORDIO_PROTOBUF -> "RecordIO magic number";
      case PARQUET -> "Parquet magic number";
    };
  }

  /**
   * Stacks the rows of several parts; CSV parts must have the same width. {@code names} names each part's first
   * file, for messages.
   */
  static LabeledData stack(String channel, List<LabeledData> parts, List<String> names) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int rows = 0;
    boolean anyWeights = false;
    for (LabeledData p : parts) {
      rows += p.rows();
      anyWeights |= p.weights() != null;
    }
    float[] labels = new float[rows];
    float[] weights = anyWeights ? new float[rows] : null;
    int at = 0;
    for (LabeledData p : parts) {
      System.arraycopy(p.labels(), 0, labels, at, p.rows());
      if (weights != null) {
        if (p.weights() != null) {
          System.arraycopy(p.weights(), 0, weights, at, p.rows());
        } else {
          java.util.Arrays.fill(weights, at, at + p.rows(), 1f);
        }
      }
      at += p.rows();
    }
    Batch first = parts.get(0).features();
    Batch features = first instanceof DenseBatch d
        ? stackDense(channel, parts, names, rows, d.columns())
        : stackSparse(channel, parts, rows);
    return new LabeledData(channel, features, labels, weights);
  }

  private static DenseBatch stackDense(String channel, List<LabeledData> parts, List<String> names, int rows,
      int width) {
    float[] values = new float[Math.multiplyExact(rows, width)];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      LabeledData p = parts.get(i);
      if (!(p.features() instanceof DenseBatch d)) {
        throw new UserError("channel '" + channel + "' mixes dense rows (CSV, dense RecordIO-protobuf) and sparse "
            + "rows (libsvm, sparse RecordIO-protobuf); keep one kind per channel");
      }
      if (d.columns() != width) {
        throw new UserError("channel '" + channel + "': " + names.get(i) + " has " + d.columns()
            + " features but " + names.get(0) + " has " + width + "; all files need the same columns");
      }
      int n = d.rows() * d.columns();
      System.arraycopy(d.values(), 0, values, at, n);
      at += n;
    }
    return new DenseBatch(rows, width, values);
  }

  private static SparseBatch stackSparse(String channel, List<LabeledData> parts, int rows) {
    int nnz = 0;
    int width = 0;
    for (LabeledData p : parts) {
      if (!(p.features() instanceof SparseBatch s)) {
        throw new UserError("channel '" + channel + "' mixes dense rows (CSV, dense RecordIO-protobuf) and sparse "
            + "rows (libsvm, sparse RecordIO-protobuf); keep one kind per channel");
      }
      nnz += s.values().length;
      width = Math.max(width, s.columns());
    }
    long[] offsets = new long[rows + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    int row = 0;
    int at = 0;
    for (LabeledData p : parts) {
      SparseBatch s = (SparseBatch) p.features();
      for (int r = 1; r <= s.rows(); r++) {
        offsets[row + r] = at + s.rowOffsets()[r];
      }
      System.arraycopy(s.indices(), 0, indices, at, s.indices().length);
      System.arraycopy(s.values(), 0, values, at, s.values().length);
      row += s.rows();
      at += s.values().length;
    }
    return new SparseBatch(rows, width, offsets, indices, values);
  }
}
