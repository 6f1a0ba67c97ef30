package dev.sagebox.engine.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.text.NumberScanner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader against a plain reference (split lines and fields with String methods, read each field with
 * {@link NumberScanner#parseToken}) on random files mixing the fast path's plain decimals with everything it leaves
 * to the general scanner, across several 4 MB read blocks, on one and two threads: the same values bit for bit.
 */
class CsvReaderAgreementTest {
  private static final CsvReader.Layout LABEL = new CsvReader.Layout(true, false);
  private static final int FEATURES = 7;

  private static String field(Random r) {
    return switch (r.nextInt(24)) {
      case 0 -> "";
      case 1 -> String.format(Locale.ROOT, "%.3e", r.nextGaussian() * 1e4);
      case 2 -> " " + (float) r.nextGaussian() + " ";
      case 3 -> r.nextBoolean() ? "nan" : "-inf";
      case 4 -> "\"" + r.nextInt(100) + ".5\"";
      case 5 -> "0." + (100_000_000_000L + (long) (r.nextDouble() * 1e11)) + "7";
      case 6 -> r.nextBoolean() ? "5." : ".25";
      case 7 -> "+" + r.nextInt(1000);
      case 8 -> Long.toString(r.nextLong() % 100_000_000_000L);
      case 9 -> Double.toString(r.nextGaussian());
      default -> String.format(Locale.ROOT, "%." + r.nextInt(8) + "f", r.nextGaussian() * Math.pow(10, r.nextInt(7)));
    };
  }

  /** Mostly plain decimals, so that most lines take the parser's plain-row path and some leave it midway. */
  private static String mostlyPlainField(Random r) {
    return r.nextInt(40) == 0 ? field(r)
        : String.format(Locale.ROOT, "%." + (1 + r.nextInt(6)) + "f", r.nextGaussian() * Math.pow(10, r.nextInt(4)));
  }

  private static String randomCsv(Random r, int targetBytes) {
    return randomCsv(r, targetBytes, false);
  }

  private static String randomCsv(Random r, int targetBytes, boolean mostlyPlain) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < targetBytes) {
      if (r.nextInt(500) == 0) {
        sb.append(r.nextBoolean() ? "\n" : "  \r\n");
      }
      sb.append(r.nextInt(2));
      for (int c = 0; c < FEATURES; c++) {
        sb.append(',').append(mostlyPlain ? mostlyPlainField(r) : field(r));
      }
      sb.append(r.nextInt(10) == 0 ? "\r\n" : "\n");
    }
    sb.append("1,2,3,4,5,6,7,8.125");
    return sb.toString();
  }

  private record Reference(List<Float> labels, List<Float> values) {}

  private static Reference reference(String text) {
    List<Float> labels = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.replace(" ", "").replace("\t", "").replace("\r", "").isEmpty()) {
        continue;
      }
      String[] fields = (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).split(",", -1);
      labels.add(NumberScanner.parseToken(fields[0]));
      for (int c = 1; c < fields.length; c++) {
        values.add(NumberScanner.parseToken(fields[c]));
      }
    }
    return new Reference(labels, values);
  }

  private static void assertSame(Reference expected, float[] labels, DenseBatch features) {
    assertThat(labels.length).isEqualTo(expected.labels().size());
    for (int i = 0; i < labels.length; i++) {
      assertThat(Float.floatToRawIntBits(labels[i])).as("label %d", i)
          .isEqualTo(Float.floatToRawIntBits(expected.labels().get(i)));
    }
    assertThat(features.columns()).isEqualTo(FEATURES);
    float[] x = features.values();
    for (int i = 0; i < expected.values().size(); i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(expected.values().get(i))) {
        assertThat(x[i]).as("value %d (row %d)", i, i / FEATURES).isEqualTo(expected.values().get(i));
      }
    }
  }

  @Test
  void mostlyPlainFilesReadAsTheReferenceReadsThem() {
    Random r = new Random(12);
    String text = randomCsv(r, 4 << 20, true);
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    Reference expected = reference(text);
    for (int threads : new int[] {1, 2}) {
      LabeledData read = new CsvReader((byte) ',', threads).readLabeled(bytes, "f", LABEL);
      assertSame(expected, read.labels(), (DenseBatch) read.features());
    }
  }

  @Test
  void randomFilesReadAsTheReferenceReadsThemOnOneAndTwoThreads() {
    Random r = new Random(11);
    String text = randomCsv(r, 9 << 20);
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    Reference expected = reference(text);
    for (int threads : new int[] {1, 2}) {
      CsvReader reader = new CsvReader((byte) ',', threads);
      LabeledData fromArray = reader.readLabeled(bytes, "f", LABEL);
      assertSame(expected, fromArray.labels(), (DenseBatch) fromArray.features());
      // A stream with no size hint: other block cuts, growing output.
      LabeledData fromStream = reader.readLabeled(new ByteArrayInputStream(bytes), 0, "f", LABEL);
      assertSame(expected, fromStream.labels(), (DenseBatch) fromStream.features());
    }
  }

  @Test
  void shortRequestsReadAsTheReferenceReadsThem() {
    // Inference bodies of a few rows: most fields lie within the fast path's look-ahead of the end.
    Random r = new Random(12);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder sb = new StringBuilder();
      int rows = 1 + r.nextInt(3);
      for (int row = 0; row < rows; row++) {
        for (int c = 0; c < FEATURES; c++) {
          sb.append(c == 0 ? "" : ",").append(field(r));
        }
        sb.append(row < rows - 1 || r.nextBoolean() ? "\n" : "");
      }
      String text = sb.toString();
      byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
      DenseBatch batch = new CsvReader((byte) ',', 1).readFeatures(bytes, 0, bytes.length, "request", FEATURES);
      Reference expected = reference("0," + text.replace("\n", "\n0,"));
      for (int v = 0; v < rows * FEATURES; v++) {
        assertThat(Float.floatToRawIntBits(batch.values()[v])).as("%s: value %d", text, v)
            .isEqualTo(Float.floatToRawIntBits(expected.values().get(v)));
      }
    }
  }

  @Test
  void aLineLongerThanTheLimitIsTheSameErrorFromAnArrayAsFromAStream() {
    // A short line, then 5 MB without a line break (past the 4 MB block an array is cut into).
    byte[] data = ("0,1\n0," + "7,".repeat(2_600_000) + "1\n").getBytes(StandardCharsets.US_ASCII);
    CsvReader reader = new CsvReader((byte) ',', 2, 1 << 16);
    String fromStream = org.assertj.core.api.Assertions.catchThrowable(
        () -> reader.readLabeled(new ByteArrayInputStream(data), 0, "train/big.csv", LABEL)).getMessage();
    assertThat(fromStream).contains("train/big.csv, line 2").contains("longer than 65536 bytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.readLabeled(data, "train/big.csv", LABEL))
        .isInstanceOf(dev.sagebox.engine.error.DataFormatError.class)
        .hasMessage(fromStream);
  }
}
