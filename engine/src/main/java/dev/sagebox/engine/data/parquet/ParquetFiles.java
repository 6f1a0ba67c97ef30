package dev.sagebox.engine.data.parquet;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * Opens local Parquet files through parquet-java's {@link LocalInputFile}: no Hadoop file system, no Hadoop
 * configuration, and pages decompressed by {@link PageDecompressors} rather than Hadoop's codecs. (parquet-java's
 * options builder still creates a Hadoop {@code Configuration}; parquet-floor's stand-in classes satisfy it.) Each open
 * reader gets options of its own, because closing a reader releases the codec factory held by its options and the
 * decompressors keep state.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Opens {@code file} and reads its footer. */
  static ParquetFileReader open(Path file) throws IOException {
    return ParquetFileReader.open(new LocalInputFile(file), options());
  }

  /** Opens {@code file} again with a footer already read, so that several threads can read its row groups. */
  static ParquetFileReader open(Path file, ParquetMetadata footer) throws IOException {
    InputFile in = new LocalInputFile(file);
    return ParquetFileReader.open(in, footer, options(), in.newStream());
  }

  /** Plain reading: no filters (every row is training data), no checksums (parquet-java's default). */
  private static ParquetReadOptions options() {
    return ParquetReadOptions.builder(new PlainParquetConfiguration())
        .useStatsFilter(false)
        .useDictionaryFilter(false)
        .useRecordFilter(false)
        .useColumnIndexFilter(false)
        .useBloomFilter(false)
        .withCodecFactory(new PageDecompressors())
        .build();
  }
}
