package dev.sagebox.engine.data.parquet;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.EngineException;
import dev.sagebox.engine.error.PlatformError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.ParquetRuntimeException;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Reads one Parquet file of training rows, as SageMaker's built-in XGBoost does for {@code application/x-parquet}
 * channels: the first column is the label, every other column a feature. Features become a row-major
 * {@link DenseBatch} with nulls as NaN (missing); a null label is an error. Values go straight from parquet-java's
 * decoders into the final float arrays (no per-value objects). Row groups, or slices of a row group's columns when
 * there are few row groups, are read on up to {@code threads} threads.
 *
 * <p>Compression: uncompressed, SNAPPY, ZSTD and LZ4_RAW (aircompressor) and GZIP (the JDK's zlib), all in Java: no
 * native library is unpacked or loaded, so reading works on any JRE image, read-only file systems included.
 */
public final class ParquetReader {
  /** Files smaller than this (compressed bytes) are read on the calling thread alone. */
  private static final long PARALLEL_THRESHOLD = 1 << 20;
  /** The most values a Java float array can hold. */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
  private static final Set<CompressionCodecName> CODECS = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
      CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW);

  private final int threads;
  private final long parallelThreshold;

  /** @param threads how many threads may read one file */
  public ParquetReader(int threads) {
    this(threads, PARALLEL_THRESHOLD);
  }

  /** For tests: {@code parallelThreshold} 0 reads even a tiny file on several threads. */
  ParquetReader(int threads, long parallelThreshold) {
    this.threads = Math.max(1, threads);
    this.parallelThreshold = parallelThreshold;
  }

  /**
   * Reads {@code file} whole.
   *
   * @param source names the file in messages (for example {@code train/part-0.parquet})
   * @throws DataFormatError when the file is not Parquet, has a column that is not a number, a null label, a codec
   *     other than the accepted ones, or is damaged
   * @throws PlatformError when the file cannot be read at all
   */
  public LabeledData readLabeled(Path file, String source) {
    try {
      return read(file, source);
    } catch (EngineException e) {
      throw e;
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new PlatformError("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    } catch (IOException | ParquetRuntimeException e) {
      throw damaged(source, e);
    } catch (RuntimeException e) {
      // parquet-java reports a file that is not Parquet at all with a plain RuntimeException.
      if (String.valueOf(e.getMessage()).contains("is not a Parquet file")) {
        throw new DataFormatError(source, 0, 0, "is not a Parquet file (it does not end with the 'PAR1' magic "
            + "number and a footer); application/x-parquet channels take Parquet files only");
      }
      throw e;
    } catch (LinkageError e) {
      // The Hadoop classes parquet-java names come from parquet-floor's small shim (see the parent pom); a path the
      // tests never took may want one it lacks. Say so plainly rather than die of a bare NoClassDefFoundError.
      throw new PlatformError("cannot read " + source + ": the Parquet reader is missing a class (" + e + "); "
          + "report this with the file's writer (pandas, pyarrow, Spark ...)", e);
    }
  }

  private LabeledData read(Path file, String source) throws IOException {
    if (!Files.isReadable(file)) {
      throw new NoSuchFileException(file.toString());
    }
    ParquetMetadata footer;
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      footer = reader.getFooter();
    }
    List<ColumnPlan> columns = ParquetSchema.plan(footer.getFileMetaData().getSchema(), source);
    List<BlockMetaData> groups = footer.getBlocks();
    checkCodecs(groups, source);
    int width = columns.size() - 1;
    long rows = 0;
    long bytes = 0;
    for (BlockMetaData g : groups) {
      rows += g.getRowCount();
      bytes += g.getCompressedSize();
    }
    if (rows * width > MAX_VALUES) {
      throw new DataFormatError(source, 0, 0, "holds " + rows + " rows of " + width + " features, more than one "
          + "float array can hold (" + MAX_VALUES + " values)");
    }
    RowGroupTask.Output out = new RowGroupTask.Output(new float[(int) rows], new float[(int) (rows * width)], width,
        new AtomicLong(Long.MAX_VALUE));
    int workers = bytes < parallelThreshold ? 1 : threads;
    List<RowGroupTask> tasks = RowGroupTasks.plan(groups, columns, workers);
    RowGroupTasks.run(file, footer, tasks, out, Math.min(workers, tasks.size()));
    long nullLabel = out.firstNullLabel().get();
    if (nullLabel != Long.MAX_VALUE) {
      throw new DataFormatError(source, 0, 0, "row " + (nullLabel + 1) + ": " + columns.get(0).describe()
          + " is null; every training row needs a label (nulls are accepted in feature columns only)");
    }
    return new LabeledData(source, new DenseBatch((int) rows, width, out.features()), out.labels(), null);
  }

  private static void checkCodecs(List<BlockMetaData> groups, String source) {
    for (int g = 0; g < groups.size(); g++) {
      for (ColumnChunkMetaData chunk : groups.get(g).getColumns()) {
        if (!CODECS.contains(chunk.getCodec())) {
          throw new DataFormatError(source, 0, 0, "column '" + chunk.getPath().toDotString() + "' in row group "
              + (g + 1) + " is compressed with " + chunk.getCodec() + ", which Sagebox cannot decompress; accepted "
              + "codecs: UNCOMPRESSED, SNAPPY (the default of pandas, pyarrow and Spark), GZIP, ZSTD, LZ4_RAW");
        }
      }
    }
  }

  private static DataFormatError damaged(String source, Exception e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DataFormatError(source, 0, 0, "cannot be read as Parquet, it looks damaged or truncated ("
        + detail + ")");
  }
}
