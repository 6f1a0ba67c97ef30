package dev.sagebox.engine.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  private static final CsvReader.Layout LABEL = new CsvReader.Layout(true, false);

  /** The data part of a batch's array (readers may leave spare capacity behind it). */
  private static float[] data(Object batch) {
    DenseBatch d = (DenseBatch) batch;
    return Arrays.copyOf(d.values(), d.rows() * d.columns());
  }

  private static LabeledData labeled(String text) {
    return new CsvReader((byte) ',', 2).readLabeled(text.getBytes(StandardCharsets.UTF_8), "train/f.csv", LABEL);
  }

  @Test
  void readsLabelsAndFeaturesRowMajor() {
    LabeledData d = labeled("1,0.5,2\n0,1.5,-3\n");
    assertThat(d.labels()).containsExactly(1f, 0f);
    DenseBatch x = (DenseBatch) d.features();
    assertThat(x.rows()).isEqualTo(2);
    assertThat(x.columns()).isEqualTo(2);
    assertThat(data(x)).containsExactly(0.5f, 2f, 1.5f, -3f);
    assertThat(d.weights()).isNull();
  }

  @Test
  void emptyFieldIsMissingAndCrlfBlankLinesAndNoFinalNewlineAreFine() {
    LabeledData d = labeled("\r\n1,,2\r\n\r\n   \n0,3,\r\n1,4,5");
    DenseBatch x = (DenseBatch) d.features();
    assertThat(d.labels()).containsExactly(1f, 0f, 1f);
    assertThat(x.get(0, 0)).isNaN();
    assertThat(x.get(0, 1)).isEqualTo(2f);
    assertThat(x.get(1, 1)).isNaN();
    assertThat(x.get(2, 1)).isEqualTo(5f);
  }

  @Test
  void weightColumnIsSecondWhenAsked() {
    LabeledData d = new CsvReader((byte) ',', 1).readLabeled("1,0.5,7\n0,2,8\n".getBytes(StandardCharsets.UTF_8),
        "f", new CsvReader.Layout(true, true));
    assertThat(d.weights()).containsExactly(0.5f, 2f);
    assertThat(data(d.features())).containsExactly(7f, 8f);
  }

  @Test
  void weightColumnIsSecondInLongInputsToo() {
    // Long enough that rows go through the plain-row path, not only the general one near the end.
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      sb.append(i % 2).append(",0.").append(i % 10 + 1).append(',').append(i).append(".25,-").append(i % 7)
          .append(i % 3 == 0 ? "\r\n" : "\n");
    }
    LabeledData d = new CsvReader((byte) ',', 2).readLabeled(sb.toString().getBytes(StandardCharsets.UTF_8),
        "f", new CsvReader.Layout(true, true));
    DenseBatch x = (DenseBatch) d.features();
    assertThat(x.rows()).isEqualTo(3000);
    assertThat(x.columns()).isEqualTo(2);
    for (int i = 0; i < 3000; i++) {
      assertThat(d.labels()[i]).isEqualTo(i % 2);
      assertThat(d.weights()[i]).isEqualTo(Float.parseFloat("0." + (i % 10 + 1)));
      assertThat(x.get(i, 0)).isEqualTo(i + 0.25f);
      assertThat(x.get(i, 1)).isEqualTo(-(i % 7));
    }
  }

  @Test
  void aShortRowDeepInALongInputNamesItsLine() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append(i == 4321 ? "1,2.5\n" : "0,1.5,2.75\n");
    }
    assertThatThrownBy(() -> new CsvReader((byte) ',', 2).readLabeled(sb.toString().getBytes(StandardCharsets.UTF_8),
        "train/f.csv", new CsvReader.Layout(true, false)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 4322");
  }

  @Test
  void singleDigitFieldsManyToAWordAreReadOnTheFastPathAsElsewhere() {
    // Up to four delimiters per eight bytes ("1,2,3,4,"), and lines whose newline shares a word with several of
    // them: the plain-row scan writes a word's first four field ends before it counts them.
    StringBuilder sb = new StringBuilder();
    int rows = 4000;
    for (int i = 0; i < rows; i++) {
      sb.append(i % 2);
      for (int c = 0; c < 17; c++) {
        sb.append(',').append((i + c) % 10);
      }
      sb.append('\n');
    }
    LabeledData d = new CsvReader((byte) ',', 2).readLabeled(sb.toString().getBytes(StandardCharsets.UTF_8), "f",
        new CsvReader.Layout(true, false));
    DenseBatch x = (DenseBatch) d.features();
    assertThat(x.rows()).isEqualTo(rows);
    assertThat(x.columns()).isEqualTo(17);
    for (int i = 0; i < rows; i++) {
      assertThat(d.labels()[i]).isEqualTo(i % 2);
      for (int c = 0; c < 17; c++) {
        assertThat(x.get(i, c)).as("row %d column %d", i, c).isEqualTo((float) ((i + c) % 10));
      }
    }
  }

  @Test
  void aLongRowOfShortFieldsDeepInALongInputNamesItsLine() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append(i == 3210 ? "1,2,3,4,5,6,7,8,9\n" : "0,1,2,3,4,5,6,7\n");
    }
    assertThatThrownBy(() -> new CsvReader((byte) ',', 2).readLabeled(sb.toString().getBytes(StandardCharsets.UTF_8),
        "train/f.csv", new CsvReader.Layout(true, false)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 3211")
        .hasMessageContaining("found 9 column(s); expected 8");
  }

  @Test
  void headerRowIsRejectedWithAnExplanation() {
    assertThatThrownBy(() -> labeled("label,a,b\n1,2,3\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("train/f.csv, line 1, column 1")
        .hasMessageContaining("'label' is not a number")
        .hasMessageContaining("no header row");
  }

  @Test
  void rowOfTheWrongWidthNamesTheLineAndBothCounts() {
    assertThatThrownBy(() -> labeled("1,2,3\n0,4,5\n1,6\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("train/f.csv, line 3")
        .hasMessageContaining("found 2 column(s); expected 3");
  }

  @Test
  void badValueNamesLineColumnAndToken() {
    assertThatThrownBy(() -> labeled("1,2,3\n0,4,five\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/f.csv, line 2, column 3: cannot read value 'five' as a number");
  }

  @Test
  void aNanLabelIsNotOfferedNanAsAccepted() {
    assertThatThrownBy(() -> labeled("1,2,3\nnan,4,5\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/f.csv, line 2, column 1: cannot read label 'nan' as a number")
        .hasMessageContaining("nan, inf and empty are not labels")
        .hasMessageNotContaining("inf;");
    assertThatThrownBy(() -> labeled("1,2,3\n0,4,five\n")).hasMessageNotContaining("inf")
        .hasMessageContaining("nan or an empty field for a missing value");
  }

  @Test
  void aByteOrderMarkIsNamed() {
    assertThatThrownBy(() -> labeled("\uFEFF1,2,3\n0,4,5\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 1, column 1: the text starts with a UTF-8 byte-order mark (BOM")
        .hasMessageContaining("before '1'");
  }

  @Test
  void missingLabelIsAnError() {
    assertThatThrownBy(() -> labeled("1,2,3\n,4,5\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("line 2, column 1")
        .hasMessageContaining("label");
  }

  @Test
  void parallelParseOfALargeInputEqualsSequentialParse() {
    Random r = new Random(1);
    StringBuilder sb = new StringBuilder();
    int rows = 300_000;
    for (int i = 0; i < rows; i++) {
      sb.append(r.nextInt(2));
      for (int c = 0; c < 5; c++) {
        sb.append(',');
        if (r.nextInt(50) != 0) {
          sb.append((float) r.nextGaussian());
        }
      }
      sb.append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isGreaterThan(2 * (4 << 20));
    LabeledData one = new CsvReader((byte) ',', 1).readLabeled(bytes, "f", LABEL);
    LabeledData four = new CsvReader((byte) ',', 4).readLabeled(bytes, "f", LABEL);
    assertThat(four.rows()).isEqualTo(rows);
    // Arrays.equals, not containsExactly: AssertJ's diff is quadratic on 1.5 million values.
    assertThat(Arrays.equals(four.labels(), one.labels())).isTrue();
    assertThat(Arrays.equals(data(four.features()), data(one.features()))).isTrue();
    assertThat(data(one.features())[0]).isEqualTo(Float.parseFloat(sb.substring(2, sb.indexOf(",", 2))));
  }

  @Test
  void errorInALaterChunkReportsTheTrueLineNumber() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append(i == 90_000 ? "1,2,oops\n" : "1,2.25,3.5\n");
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new CsvReader((byte) ',', 2).readLabeled(bytes, "f", LABEL))
        .hasMessageStartingWith("f, line 90001, column 3");
  }

  @Test
  void featureRowsOfARequestMustMatchTheModel() {
    byte[] body = "1,2,3\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new CsvReader((byte) ',', 1).readFeatures(body, 0, body.length, "request body", 4))
        .hasMessageContaining("found 3 feature(s); the model expects 4");
    DenseBatch ok = new CsvReader((byte) ',', 1).readFeatures(body, 0, body.length, "request body", 3);
    assertThat(data(ok)).containsExactly(1f, 2f, 3f);
  }

  @Test
  void sniffsTheDelimiter() {
    assertThat(CsvReader.sniffDelimiter("1\t2\t3\n".getBytes(StandardCharsets.UTF_8))).isEqualTo((byte) '\t');
    assertThat(CsvReader.sniffDelimiter("1;2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo((byte) ';');
    assertThat(CsvReader.sniffDelimiter("1,2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo((byte) ',');
    // A blank first line (blanks are skipped as rows) says nothing about the separator.
    assertThat(CsvReader.sniffDelimiter(" \t \r\n1,2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo((byte) ',');
    assertThat(CsvReader.sniffDelimiter("\n\n1\t2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo((byte) '\t');
    LabeledData tabs = new CsvReader((byte) '\t', 1).readLabeled("1\t2\t\n".getBytes(StandardCharsets.UTF_8), "f",
        LABEL);
    assertThat(data(tabs.features())[1]).isNaN();
  }

  @Test
  void aLineLongerThanTheLimitIsALocatedUserError() {
    // 5 MB without a line break, past the 4 MB read block.
    byte[] data = ("0," + "7,".repeat(2_600_000) + "1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    CsvReader reader = new CsvReader((byte) ',', 1, 1 << 16);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.readLabeled(
        new java.io.ByteArrayInputStream(data), 0, "train/big.csv", new CsvReader.Layout(true, false)))
        .isInstanceOf(dev.sagebox.engine.error.DataFormatError.class)
        .hasMessageContaining("train/big.csv, line 1")
        .hasMessageContaining("longer than 65536 bytes");
  }

  @Test
  void manySmallFilesCostAboutTheirBytes() {
    // 20,000 one-row files through the streaming reader: no per-file 4 MB buffers or thread pools.
    CsvReader reader = new CsvReader((byte) ',', 2);
    byte[] row = "1,0.5,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int before = Thread.activeCount();
    for (int i = 0; i < 20_000; i++) {
      dev.sagebox.engine.data.LabeledData d = reader.readLabeled(new java.io.ByteArrayInputStream(row), row.length,
          "f" + i, new CsvReader.Layout(true, false));
      org.assertj.core.api.Assertions.assertThat(d.rows()).isEqualTo(1);
    }
    org.assertj.core.api.Assertions.assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 2);
  }

  @Test
  void anErrorInAnEarlyBlockOfALongStreamNamesItsLineAndText() {
    // The block that failed gives its read buffer back to the stream's pool when its parse ends; later blocks
    // reuse the buffer. The message still names the failing line and shows its own text.
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2_000_000; i++) {
      // Longer lines after the bad one: a line counted in another block's bytes would come out wrong.
      sb.append(i == 150_000 ? "1,2.5,7.25\n" : i < 150_000 ? "0,1.5,2.75,3.125\n" : "0,1.5,2.75,3.1250000000\n");
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new CsvReader((byte) ',', 2).readLabeled(new java.io.ByteArrayInputStream(bytes),
        bytes.length, "train/f.csv", new CsvReader.Layout(true, true)))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("train/f.csv, line 150001")
        .hasMessageContaining("'1,2.5,7.25'");
  }

  @Test
  void blocksWithManyMoreRowsThanTheFirstLineSuggestsAreReadWhole() {
    // The first line is long, the rest short: a worker's buffer, sized from the first line, fills and grows.
    StringBuilder sb = new StringBuilder("1,0.123456789012345678901234567890,-0.98765432109876543210987654321\n");
    int rows = 1_500_000;
    for (int i = 1; i < rows; i++) {
      sb.append(i % 2).append(',').append(i % 10).append(",-").append(i % 7).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    for (int threads : new int[] {1, 2, 3}) {
      LabeledData d = new CsvReader((byte) ',', threads).readLabeled(new java.io.ByteArrayInputStream(bytes),
          bytes.length, "f", LABEL);
      DenseBatch x = (DenseBatch) d.features();
      assertThat(x.rows()).isEqualTo(rows);
      assertThat(x.get(0, 0)).isEqualTo(0.12345679f);
      for (int i = 1; i < rows; i += 9_973) {
        assertThat(d.labels()[i]).isEqualTo(i % 2);
        assertThat(x.get(i, 0)).isEqualTo(i % 10);
        assertThat(x.get(i, 1)).isEqualTo(-(i % 7));
      }
      assertThat(x.get(rows - 1, 1)).isEqualTo(-((rows - 1) % 7));
    }
  }

  @Test
  void blankLinesInEarlierBlocksCountInALaterErrorsLineNumber() {
    // Blank lines (none, or blanks and CRs) spread over the first blocks; the bad line is far behind them.
    StringBuilder sb = new StringBuilder("\n  \n");
    int blank = 2;
    for (int i = 0; i < 1_000_000; i++) {
      if (i % 1000 == 999) {
        sb.append(i % 2000 == 999 ? "\n" : " \r\n");
        blank++;
      }
      sb.append(i == 700_000 ? "1,2.5,x\n" : "0,1.5,2.75\n");
    }
    int line = 700_001 + blank - (1_000_000 - 700_000) / 1000;
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    for (int threads : new int[] {1, 2}) {
      assertThatThrownBy(() -> new CsvReader((byte) ',', threads).readLabeled(new java.io.ByteArrayInputStream(bytes),
          bytes.length, "train/f.csv", LABEL))
          .isInstanceOf(DataFormatError.class)
          .hasMessageStartingWith("train/f.csv, line " + line + ", column 3: cannot read value 'x'");
      assertThatThrownBy(() -> new CsvReader((byte) ',', threads).readLabeled(bytes, "train/f.csv", LABEL))
          .hasMessageStartingWith("train/f.csv, line " + line + ", column 3");
    }
  }
}
