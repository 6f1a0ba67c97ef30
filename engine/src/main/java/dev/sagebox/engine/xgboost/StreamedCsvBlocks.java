package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.RowOrigins;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.data.csv.CsvReader;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.TrainingInterrupted;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A CSV channel streamed from its files (plain or gzip) in blocks of whole lines, each parsed and checked on its
 * own, for external-memory training: XGBoost reads the channel once per pass, so at most one block of text and one of
 * floats are in the heap at a time. Blocks are about {@code blockBytes} of text; a longer line grows the buffer.
 * Messages name the file and the line a block starts at; a file that is not CSV (sniffed from its head) is refused.
 */
final class StreamedCsvBlocks implements RowBlocks, AutoCloseable {
  private static final int HEAD_BYTES = 64 << 10;

  private final String channel;
  private final List<Path> files;
  private final boolean weightColumn;
  private final int threads;
  private final XGBoostParams params;
  private final BooleanSupplier stopRequested;
  private byte[] buffer;
  private int fileIndex = -1;
  private ChannelFiles.Peekable open;
  private CsvReader reader;
  private int carried;
  private boolean ended;
  private long line;
  private int columns = -1;
  private long rows;
  private boolean firstPassDone;

  StreamedCsvBlocks(String channel, List<Path> files, boolean weightColumn, int threads, XGBoostParams params,
      int blockBytes, BooleanSupplier stopRequested) {
    if (files.isEmpty()) {
      throw new UserError("channel '" + channel + "' has no data files");
    }
    this.channel = channel;
    this.files = List.copyOf(files);
    this.weightColumn = weightColumn;
    this.threads = threads;
    this.params = params;
    this.stopRequested = stopRequested;
    this.buffer = new byte[blockBytes];
  }

  String channel() {
    return channel;
  }

  /** Features per row (known after the first block). */
  int columns() {
    return columns;
  }

  /** Rows in the channel (known after the first full pass). */
  long rows() {
    return rows;
  }

  @Override
  public void reset() throws IOException {
    if (fileIndex >= 0) {
      firstPassDone = true;
    }
    close();
    fileIndex = -1;
  }

  @Override
  public Block next() throws IOException {
    while (true) {
      if (stopRequested.getAsBoolean()) {
        // Building the pages of a large channel takes minutes; a SIGTERM must not wait for it.
        throw new TrainingInterrupted("stopped on request while reading channel '" + channel + "' into "
            + "external-memory pages; no model saved", false);
      }
      if (open == null && !openNext()) {
        return null;
      }
      int cut = fill();
      if (cut == 0) {
        close();
        continue;
      }
      String source = channel + "/" + files.get(fileIndex).getFileName() + " (block from line " + (line + 1) + ")";
      LabeledData block;
      try (InputStream in = new ByteArrayInputStream(buffer, 0, cut)) {
        block = reader.readLabeled(in, cut, source, new CsvReader.Layout(true, weightColumn));
      }
      block = block.from(RowOrigins.ofFile(channel, files.get(fileIndex), line + 1, TextFormat.CSV, block.rows(),
          weightColumn ? 2 : 1));
      line += countLines(buffer, cut);
      System.arraycopy(buffer, cut, buffer, 0, carried - cut);
      carried -= cut;
      if (block.features().rows() == 0) {
        continue;
      }
      check(block, source);
      TrainingRows rowsOfBlock = TrainingRows.of(block);
      LabelCheck.check(channel, rowsOfBlock, params);
      if (!firstPassDone) {
        rows += rowsOfBlock.rows();
      }
      return new Block(rowsOfBlock, 0, rowsOfBlock.rows());
    }
  }

  private void check(LabeledData block, String source) {
    FiniteValues.require(block);
    int width = block.features().columns();
    if (columns < 0) {
      columns = width;
    } else if (width != columns) {
      throw new UserError(source + ": rows have " + (width + 1 + (weightColumn ? 1 : 0)) + " columns, but earlier "
          + "rows of channel '" + channel + "' have " + (columns + 1 + (weightColumn ? 1 : 0))
          + "; every row needs the label" + (weightColumn ? ", the weight" : "") + " and the same features");
    }
  }

  private boolean openNext() {
    if (fileIndex + 1 >= files.size()) {
      return false;
    }
    fileIndex++;
    Path file = files.get(fileIndex);
    open = ChannelFiles.openPeekable(file, HEAD_BYTES);
    TextFormat sniffed = TextFormat.sniff(open.head());
    if (sniffed != null && sniffed != TextFormat.CSV) {
      throw new UserError("channel '" + channel + "' file " + file.getFileName() + " looks like " + sniffed
          + "; external memory streams CSV only");
    }
    reader = new CsvReader(CsvReader.sniffDelimiter(open.head()), threads);
    carried = 0;
    ended = false;
    line = 0;
    return true;
  }

  /** Reads until the buffer holds a block of whole lines; answers the block's length (0: the file is done). */
  private int fill() throws IOException {
    while (true) {
      while (!ended && carried < buffer.length) {
        int n = open.stream().read(buffer, carried, buffer.length - carried);
        if (n < 0) {
          ended = true;
        } else {
          carried += n;
        }
      }
      if (ended) {
        return carried;
      }
      int cut = lastNewline(buffer, carried);
      if (cut > 0) {
        return cut;
      }
      buffer = Arrays.copyOf(buffer, buffer.length * 2); // one line longer than the buffer
    }
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  private static long countLines(byte[] b, int len) {
    long n = 0;
    for (int i = 0; i < len; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
