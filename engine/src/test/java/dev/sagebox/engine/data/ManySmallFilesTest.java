package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.csv.CsvReader;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.data.recordio.RecordBytes;
import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel of many small files reads exactly as one file holding them all: the files read whole and appended to one
 * set of arrays, the ones streamed, and mixes of both (a lower size limit for files read whole sends some of them
 * down the streaming path).
 */
class ManySmallFilesTest {
  private static final int FILES = 20_000;

  @TempDir
  Path dir;

  private Path channel;
  private Path single;

  @BeforeEach
  void folders() throws IOException {
    channel = Files.createDirectories(dir.resolve("channel"));
    single = Files.createDirectories(dir.resolve("single"));
  }

  private static String name(int i, String ext) {
    return String.format(Locale.ROOT, "part-%05d.%s", i, ext);
  }

  /** Writes {@code texts} as numbered files (every 97th gzip) and the same, concatenated, as one file. */
  private byte[] writeFiles(List<String> texts, String ext) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < texts.size(); i++) {
      byte[] bytes = texts.get(i).getBytes(StandardCharsets.UTF_8);
      Path file = channel.resolve(name(i, ext));
      if (i % 97 == 5) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
          out.write(bytes);
        }
      } else {
        Files.write(file, bytes);
      }
      all.write(bytes);
      if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
        all.write('\n');
      }
    }
    byte[] concatenated = all.toByteArray();
    Files.write(single.resolve("all." + ext), concatenated);
    return concatenated;
  }

  private static String number(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "";
      case 1 -> Integer.toString(r.nextInt(100) - 50);
      case 2 -> String.format(Locale.ROOT, "%.3e", r.nextGaussian() * 1e4);
      default -> String.format(Locale.ROOT, "%.5f", r.nextGaussian());
    };
  }

  /** 1-3 rows each of label, weight-or-feature and three features; blank lines, CRLF, no final newline now and then. */
  private static List<String> csvTexts(Random r) {
    String[] texts = new String[FILES];
    for (int i = 0; i < FILES; i++) {
      StringBuilder sb = new StringBuilder();
      if (i % 501 == 3) {
        sb.append("\n  \n");
      }
      int rows = 1 + r.nextInt(3);
      for (int row = 0; row < rows; row++) {
        sb.append(r.nextInt(2)).append(',').append(String.format(Locale.ROOT, "%.2f", 0.5 + r.nextDouble()));
        for (int c = 0; c < 3; c++) {
          sb.append(',').append(number(r));
        }
        sb.append(i % 113 == 7 ? "\r\n" : "\n");
      }
      if (i % 89 == 11) {
        sb.setLength(sb.length() - 1);
      }
      texts[i] = i % 1009 == 17 ? "" : sb.toString();
    }
    return Arrays.asList(texts);
  }

  /** Labels (some with weights), increasing indices from 1 to 40, comments and blank lines. */
  private static List<String> libsvmTexts(Random r) {
    String[] texts = new String[FILES];
    for (int i = 0; i < FILES; i++) {
      StringBuilder sb = new StringBuilder();
      if (i % 701 == 9) {
        sb.append("# a comment line\n\n");
      }
      int rows = 1 + r.nextInt(3);
      for (int row = 0; row < rows; row++) {
        sb.append(r.nextInt(2));
        if (i % 37 == 1) {
          sb.append(':').append(String.format(Locale.ROOT, "%.2f", 0.5 + r.nextDouble()));
        }
        int index = 0;
        // A first row with features, so that detection sees libsvm ("0" alone reads as one-column CSV).
        for (int k = row == 0 ? 1 + r.nextInt(4) : r.nextInt(5); k > 0; k--) {
          index += 1 + r.nextInt(8);
          sb.append(' ').append(index).append(':').append(String.format(Locale.ROOT, "%.4f", r.nextGaussian()));
        }
        sb.append(i % 211 == 3 ? "  # trailing comment\n" : "\n");
      }
      texts[i] = sb.toString();
    }
    return Arrays.asList(texts);
  }

  private static void assertSameDense(LabeledData actual, LabeledData expected) {
    DenseBatch a = (DenseBatch) actual.features();
    DenseBatch e = (DenseBatch) expected.features();
    assertThat(a.rows()).isEqualTo(e.rows());
    assertThat(a.columns()).isEqualTo(e.columns());
    int n = e.rows() * e.columns();
    // Bit for bit, NaN (missing) included (isEqualTo compares arrays as Arrays.equals does).
    assertThat(Arrays.copyOf(a.values(), n)).isEqualTo(Arrays.copyOf(e.values(), n));
    assertThat(actual.labels()).isEqualTo(expected.labels());
    if (expected.weights() == null) {
      assertThat(actual.weights()).isNull();
    } else {
      assertThat(actual.weights()).isEqualTo(expected.weights());
    }
  }

  private static void assertSameSparse(LabeledData actual, LabeledData expected) {
    SparseBatch a = (SparseBatch) actual.features();
    SparseBatch e = (SparseBatch) expected.features();
    assertThat(a.rows()).isEqualTo(e.rows());
    assertThat(a.columns()).isEqualTo(e.columns());
    assertThat(a.rowOffsets()).isEqualTo(e.rowOffsets());
    assertThat(a.indices()).isEqualTo(e.indices());
    assertThat(a.values()).isEqualTo(e.values());
    assertThat(actual.labels()).isEqualTo(expected.labels());
    assertThat(actual.weights()).isEqualTo(expected.weights());
  }

  private static ChannelLoader loader(int threads, int wholeFileBytes) {
    return new ChannelLoader(threads, new PipeInput(Duration.ofSeconds(1)), wholeFileBytes);
  }

  @Test
  void twentyThousandCsvFilesGiveTheRowsOfOneConcatenatedFile() throws IOException {
    byte[] concatenated = writeFiles(csvTexts(new Random(13)), "csv");
    List<Path> files = ChannelFiles.list(channel);
    assertThat(files).hasSize(FILES);
    for (boolean weights : new boolean[] {false, true}) {
      CsvReader.Layout layout = new CsvReader.Layout(true, weights);
      // The streaming reader on the concatenation (several 4 MB blocks would be parsed in parallel).
      LabeledData streamed = new CsvReader((byte) ',', 2).readLabeled(new ByteArrayInputStream(concatenated), -1,
          "all.csv", layout);
      assertThat(streamed.rows()).isGreaterThan(FILES);
      LabeledData one = new ChannelLoader(2).load("train", ChannelFiles.list(single), TextFormat.CSV, weights);
      assertSameDense(one, streamed);
      for (int threads : new int[] {1, 2}) {
        assertSameDense(new ChannelLoader(threads).load("train", files, TextFormat.CSV, weights), streamed);
      }
      // Files over 60 bytes streamed, the others read whole: runs and streamed parts are stacked in order.
      assertSameDense(loader(2, 60).load("train", files, TextFormat.CSV, weights), streamed);
      // Format detected from the content.
      assertSameDense(new ChannelLoader(2).load("train", files, null, weights), streamed);
    }
  }

  @Test
  void twentyThousandLibsvmFilesGiveTheRowsOfOneConcatenatedFile() throws IOException {
    byte[] concatenated = writeFiles(libsvmTexts(new Random(29)), "libsvm");
    List<Path> files = ChannelFiles.list(channel);
    LabeledData whole = new LibsvmReader(2).readLabeled(concatenated, "all.libsvm");
    assertThat(whole.weights()).isNotNull();
    LabeledData one = new ChannelLoader(2).load("train", ChannelFiles.list(single), TextFormat.LIBSVM, false);
    assertSameSparse(one, whole);
    for (int threads : new int[] {1, 2}) {
      assertSameSparse(new ChannelLoader(threads).load("train", files, TextFormat.LIBSVM, false), whole);
    }
    // About half the files (those over 100 bytes) streamed.
    assertSameSparse(loader(2, 100).load("train", files, TextFormat.LIBSVM, false), whole);
    LabeledData detected = new ChannelLoader(2).load("train", files, null, false);
    assertSameSparse(detected, whole);
    // 1-based numbering is decided over the whole channel, as for one file.
    ChannelLoader.Numbered many = ChannelLoader.numberLibsvm(List.of(detected));
    ChannelLoader.Numbered alone = ChannelLoader.numberLibsvm(List.of(whole));
    assertThat(many.indexing()).isEqualTo(LibsvmIndexing.ONE_BASED).isEqualTo(alone.indexing());
    assertSameSparse(many.sets().get(0), alone.sets().get(0));
  }

  @Test
  void errorsNameTheFileAndTheLineWithinItAndComeInFileOrder() throws IOException {
    for (int i = 0; i < 3_000; i++) {
      Files.writeString(channel.resolve(name(i, "csv")), "1,2,3\n0,4,5\n");
    }
    // Two bad files: the earlier one in name order is reported, whichever thread read it.
    Files.writeString(channel.resolve(name(2_345, "csv")), "1,2,3\n\n0,4,x\n");
    Files.writeString(channel.resolve(name(2_900, "csv")), "1,2,3\n1,y,3\n");
    List<Path> files = ChannelFiles.list(channel);
    for (int threads : new int[] {1, 2}) {
      assertThatThrownBy(() -> new ChannelLoader(threads).load("train", files, TextFormat.CSV, false))
          .isInstanceOfSatisfying(DataFormatError.class, e -> {
            assertThat(e.source()).isEqualTo("train/part-02345.csv");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(3);
          })
          .hasMessageContaining("cannot read value 'x'");
    }
    Files.writeString(channel.resolve(name(2_345, "csv")), "1,2,3\n\n0,4,5,6\n");
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.CSV, false))
        .isInstanceOfSatisfying(DataFormatError.class, e -> {
          assertThat(e.source()).isEqualTo("train/part-02345.csv");
          assertThat(e.line()).isEqualTo(3);
        })
        .hasMessageContaining("found 4 column(s); expected 3");
    // A file of another width: named with the first file, as when files were stacked one by one.
    Files.writeString(channel.resolve(name(2_345, "csv")), "1,2,3,4\n");
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.CSV, false))
        .isInstanceOf(UserError.class)
        .hasMessage("channel 'train': train/part-02345.csv has 3 features but train/part-00000.csv has 2; all "
            + "files need the same columns");
    // A header in any file is caught there, not taken for data.
    Files.writeString(channel.resolve(name(2_345, "csv")), "label,a,b\n1,2,3\n");
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.CSV, false))
        .isInstanceOfSatisfying(DataFormatError.class, e -> assertThat(e.source()).isEqualTo("train/part-02345.csv"))
        .hasMessageContaining("no header row");
  }

  @Test
  void libsvmErrorsNameTheFileAndTheLine() throws IOException {
    for (int i = 0; i < 1_000; i++) {
      Files.writeString(channel.resolve(name(i, "libsvm")), "1 1:2 3:4\n0 2:1\n");
    }
    Files.writeString(channel.resolve(name(777, "libsvm")), "# header comment\n1 1:2\n0 3:1 2:5\n");
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.LIBSVM,
        false))
        .isInstanceOfSatisfying(DataFormatError.class, e -> {
          assertThat(e.source()).isEqualTo("train/part-00777.libsvm");
          assertThat(e.line()).isEqualTo(3);
        })
        .hasMessageContaining("does not increase");
  }

  @Test
  void aCorruptGzipFileAmongManyIsNamed() throws IOException {
    for (int i = 0; i < 600; i++) {
      Files.writeString(channel.resolve(name(i, "csv")), "1,2\n");
    }
    Files.write(channel.resolve(name(432, "csv")), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.CSV, false))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("part-00432.csv").hasMessageContaining("corrupt or truncated gzip");
  }

  @Test
  void allEmptyFilesAreStillAnError() throws IOException {
    for (int i = 0; i < 300; i++) {
      Files.writeString(channel.resolve(name(i, "csv")), i % 2 == 0 ? "" : "\n \n");
    }
    assertThatThrownBy(() -> new ChannelLoader(2).load("train", ChannelFiles.list(channel), TextFormat.CSV, false))
        .isInstanceOf(UserError.class).hasMessage("channel 'train' holds no rows (300 file(s), all empty)");
  }

  @Test
  void recordIoAndParquetFilesReadWholeGiveWhatStreamingThemGives() throws IOException, URISyntaxException {
    for (int i = 0; i < 3; i++) {
      byte[] framed = RecordBytes.framed(
          RecordBytes.record(RecordBytes.f32(i, 1.5f, -2f), RecordBytes.f32(1)),
          RecordBytes.record(RecordBytes.f32(3f, i * 0.25f, 7f), RecordBytes.f32(0)));
      Path file = channel.resolve(name(i, "rec"));
      if (i == 1) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
          out.write(framed);
        }
      } else {
        Files.write(file, framed);
      }
    }
    List<Path> records = ChannelFiles.list(channel);
    LabeledData streamed = loader(2, 0).load("train", records, TextFormat.RECORDIO_PROTOBUF, false);
    assertThat(streamed.rows()).isEqualTo(6);
    assertSameDense(new ChannelLoader(2).load("train", records, TextFormat.RECORDIO_PROTOBUF, false), streamed);
    assertSameDense(new ChannelLoader(2).load("train", records, null, false), streamed);

    Path fixture = Paths.get(getClass().getResource("/parquet/breast_cancer_20.snappy.parquet").toURI());
    for (int i = 0; i < 3; i++) {
      Files.copy(fixture, single.resolve(name(i, "parquet")));
    }
    List<Path> parquet = ChannelFiles.list(single);
    LabeledData parquetStreamed = loader(2, 0).load("train", parquet, null, false);
    assertThat(parquetStreamed.rows()).isEqualTo(60);
    assertSameDense(new ChannelLoader(2).load("train", parquet, null, false), parquetStreamed);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(single.resolve(name(1, "parquet"))))) {
      out.write(Files.readAllBytes(fixture));
    }
    for (ChannelLoader l : List.of(new ChannelLoader(2), loader(2, 0))) {
      assertThatThrownBy(() -> l.load("train", parquet, TextFormat.PARQUET, false))
          .isInstanceOf(UserError.class)
          .hasMessageStartingWith("train/part-00001.parquet is gzip-compressed");
    }
  }

  @Test
  void aSmallFileIsReadWholeIntoAnArrayOfItsSizeAndALargeOneIsLeftToStream() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain.csv"), "1,2,3\n");
    ChannelFiles.Whole w = ChannelFiles.readWhole(plain, 100, 100);
    assertThat(w.content()).isEqualTo("1,2,3\n".getBytes(StandardCharsets.UTF_8));
    assertThat(w.gzip()).isFalse();
    assertThat(ChannelFiles.readWhole(plain, 5, 100).content()).isNull();

    byte[] text = "0,1,2\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    Path gz = dir.resolve("rows.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text);
    }
    ChannelFiles.Whole g = ChannelFiles.readWhole(gz, 1 << 20, text.length);
    assertThat(g.gzip()).isTrue();
    assertThat(g.content()).isEqualTo(text);
    // Small on disk but too large once gunzipped: streamed.
    assertThat(ChannelFiles.readWhole(gz, 1 << 20, text.length - 1).content()).isNull();
    assertThat(ChannelFiles.read(gz)).isEqualTo(text);
  }

  @Test
  void listingFollowsLinksToFilesAsBefore() throws IOException {
    Path target = Files.writeString(dir.resolve("elsewhere.csv"), "1,2\n");
    Files.writeString(channel.resolve("a.csv"), "0,1\n");
    Files.createSymbolicLink(channel.resolve("b.csv"), target);
    assertThat(ChannelFiles.list(channel)).containsExactly(channel.resolve("a.csv"), channel.resolve("b.csv"));
    LabeledData d = new ChannelLoader(1).load("train", ChannelFiles.list(channel), TextFormat.CSV, false);
    assertThat(d.labels()).containsExactly(0f, 1f);
  }
}
