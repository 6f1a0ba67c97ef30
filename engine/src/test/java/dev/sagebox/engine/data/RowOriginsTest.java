package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.DataFormatError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks run on a whole channel name the file and line of a bad row, not its row number in the channel. */
class RowOriginsTest {
  @TempDir
  Path dir;

  @Test
  void aRowOfTheSecondFileIsNamedByThatFileAndItsLine() throws IOException {
    Path a = write("a.csv", "1,1,2\n0,3,4\n1,5,6\n");
    // Blank lines are not rows: the third row of b.csv is on line 5.
    Path b = write("b.csv", "0,1,1\n\n1,2,2\n   \n0,inf,3\n");
    LabeledData d = new ChannelLoader(1).load("train", List.of(a, b), TextFormat.CSV, false);
    assertThat(d.describeRow(0)).isEqualTo("train/a.csv, line 1");
    assertThat(d.describeRow(2)).isEqualTo("train/a.csv, line 3");
    assertThat(d.describeRow(3)).isEqualTo("train/b.csv, line 1");
    assertThat(d.describeRow(5)).isEqualTo("train/b.csv, line 5");
    assertThatThrownBy(() -> FiniteValues.require(d)).isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/b.csv, line 5, column 2: the value is infinite");
  }

  @Test
  void aLoneCarriageReturnEndsACsvRowOnTheSameLineAsTheReaderCountsIt() throws IOException {
    Path a = write("cr.csv", "1,1\n0,2\r1,3\n0,inf\n1,5\n");
    LabeledData d = new ChannelLoader(1).load("train", List.of(a), TextFormat.CSV, false);
    assertThat(d.rows()).isEqualTo(5);
    assertThat(d.describeRow(2)).isEqualTo("train/cr.csv, line 2");
    assertThatThrownBy(() -> FiniteValues.require(d))
        .hasMessageStartingWith("train/cr.csv, line 3, column 2: the value is infinite");
    // Classic Mac OS line ends (CR only): rows as the reader splits them, all on line 1 by newline count.
    Path mac = write("mac.csv", "1,1\r0,2\r1,inf\r");
    LabeledData m = new ChannelLoader(1).load("train", List.of(mac), TextFormat.CSV, false);
    assertThat(m.rows()).isEqualTo(3);
    assertThat(m.describeRow(2)).isEqualTo("train/mac.csv, line 1");
  }

  @Test
  void filesOfOneNameInTwoSubfoldersAreNamedApart() throws IOException {
    Path channel = dir.resolve("train");
    Path a = Files.createDirectories(channel.resolve("2024")).resolve("part-0.csv");
    Path b = Files.createDirectories(channel.resolve("2025")).resolve("part-0.csv");
    Files.writeString(a, "1,1\n");
    Files.writeString(b, "0,1\n1,inf\n");
    LabeledData d = new ChannelLoader(1).load("train", List.of(a, b), TextFormat.CSV, false);
    assertThatThrownBy(() -> FiniteValues.require(d))
        .hasMessageStartingWith("train/2025/part-0.csv, line 2, column 2: the value is infinite");
  }

  @Test
  void anInfiniteValueIsNamedByItsCsvColumnCountingTheWeightColumn() throws IOException {
    Path a = write("w.csv", "1,0.5,3,4\n0,2,5,-inf\n");
    LabeledData d = new ChannelLoader(1).load("train", List.of(a), TextFormat.CSV, true);
    assertThatThrownBy(() -> FiniteValues.require(d))
        .hasMessageStartingWith("train/w.csv, line 2, column 4: the value is infinite");
  }

  @Test
  void emptyFilesGzipAndLibsvmCommentsAreCountedAsTheReadersCountThem() throws IOException {
    Path empty = write("0-empty.libsvm", "");
    Path first = write("1.libsvm", "# a comment line\n1 1:2\n\n0 2:3 # trailing\n");
    Path gz = dir.resolve("2.libsvm.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("1 1:1\n# skipped\n0 1:inf\n".getBytes(StandardCharsets.US_ASCII));
    }
    LabeledData d = new ChannelLoader(1).load("train", List.of(empty, first, gz), TextFormat.LIBSVM, false);
    assertThat(d.rows()).isEqualTo(4);
    assertThat(d.describeRow(0)).isEqualTo("train/1.libsvm, line 2");
    assertThat(d.describeRow(1)).isEqualTo("train/1.libsvm, line 4");
    assertThat(d.describeRow(3)).isEqualTo("train/2.libsvm.gz, line 3");
    assertThatThrownBy(() -> FiniteValues.require(d))
        .hasMessageStartingWith("train/2.libsvm.gz, line 3, feature 1: the value is infinite");
  }

  @Test
  void aBlockOfAStreamedFileCountsFromItsFirstLine() throws IOException {
    Path f = write("big.csv", "1,1\n2,2\n3,3\n\n4,4\n5,5\n");
    RowOrigins o = RowOrigins.ofFile("train", f, 4, TextFormat.CSV, 2, 1);
    assertThat(o.describe(0)).isEqualTo("train/big.csv, line 5");
    assertThat(o.describe(1)).isEqualTo("train/big.csv, line 6");
  }

  @Test
  void aRowThatCannotBeFoundAgainIsNamedByItsNumber() throws IOException {
    Path gone = write("gone.csv", "1,1\n2,2\n");
    RowOrigins o = RowOrigins.ofFile("train", gone, 1, TextFormat.CSV, 2, 1);
    Files.delete(gone);
    assertThat(o.describe(1)).isEqualTo("train/gone.csv, row 2 of the file");
    assertThat(o.describe(7)).isEqualTo("channel 'train', row 8");
    assertThat(RowOrigins.ofFile("train", gone, 1, TextFormat.PARQUET, 2, 1).describe(1))
        .isEqualTo("train/gone.csv, record 2");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
