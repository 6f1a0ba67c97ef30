package dev.sagebox.engine.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads fixtures written by DuckDB's own Parquet writer (engine/src/test/scripts/make-parquet-fixtures.sh) and
 * compares every value exactly with what the writer was given.
 */
class ParquetReaderTest {
  private static final float NaN = Float.NaN;

  static Path fixture(String name) {
    try {
      return Paths.get(ParquetReaderTest.class.getResource("/parquet/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a fixture on {@code threads} threads; with more than one, even a tiny file is cut into tasks. */
  static LabeledData read(String name, int threads) {
    return new ParquetReader(threads, threads > 1 ? 0 : Long.MAX_VALUE).readLabeled(fixture(name), "train/" + name);
  }

  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @CsvSource({"snappy, 1", "snappy, 2", "gzip, 1", "zstd, 1", "zstd, 2", "lz4_raw, 1", "uncompressed, 1",
      "v2, 1", "v2, 2"})
  void breastCancerRowsMatchTheCsvTheyWereWrittenFrom(String variant, int threads) throws IOException {
    List<String> lines = Files.readAllLines(fixture("breast_cancer_20.csv"));
    LabeledData d = read("breast_cancer_20." + variant + ".parquet", threads);
    DenseBatch x = (DenseBatch) d.features();
    assertThat(d.rows()).isEqualTo(20);
    assertThat(x.columns()).isEqualTo(30);
    assertThat(d.weights()).isNull();
    assertThat(d.source()).isEqualTo("train/breast_cancer_20." + variant + ".parquet");
    float[] labels = new float[20];
    float[] values = new float[20 * 30];
    for (int r = 0; r < 20; r++) {
      String[] cells = lines.get(r).split(",");
      labels[r] = Float.parseFloat(cells[0]);
      for (int c = 1; c <= 30; c++) {
        values[r * 30 + c - 1] = (float) Double.parseDouble(cells[c]);
      }
    }
    assertThat(d.labels()).containsExactly(labels);
    assertThat(x.values()).containsExactly(values);
  }

  @ParameterizedTest
  @CsvSource({"nulls.parquet", "nulls.v2.parquet"})
  void nullFeaturesAreMissingValues(String name) {
    LabeledData d = read(name, 1);
    assertThat(d.labels()).containsExactly(1, 0, 1, 0, 1, 0);
    assertThat(((DenseBatch) d.features()).values()).containsExactly(
        // d (double), i (int32), b (boolean), f (float), none (all null)
        1.5f, NaN, 1, 0.5f, NaN,
        NaN, 2, 0, 0.25f, NaN,
        -2.25f, 3, NaN, NaN, NaN,
        NaN, NaN, 1, 8, NaN,
        NaN, 5, NaN, NaN, NaN,
        3, 6, 0, NaN, NaN);
  }

  @Test
  void everyNumberTypeBecomesTheNearestFloat() {
    LabeledData d = read("mixed_types.parquet", 1);
    assertThat(d.labels()).containsExactly(3, 0, -1, 7);
    assertThat(((DenseBatch) d.features()).values()).containsExactly(
        // i8, i16, i32, i64, u8, u32, u64, f32, f64, b, DECIMAL(9,2), DECIMAL(18,4)
        -128, -32768, -2147483648f, (float) Long.MIN_VALUE, 255, 4294967295f, 0x1p64f, 1.5f, (float) 0.1, 1,
        1.25f, (float) 12345.6789,
        0, 1, 2, 3, 0, 0, 0, -0.1f, Float.NEGATIVE_INFINITY, 0, -3.5f, (float) -0.0001,
        127, 32767, 2147483647f, (float) Long.MAX_VALUE, 1, 1, 0x1p63f, 3.4e38f, 2.5f, 1, (float) 0.01, 0,
        5, 6, 16777216f, (float) 123456789012L, 2, 3e9f, 1, 0, 0, 0, (float) 9999999.99,
        (float) 99999999999999.9999);
  }

  @ParameterizedTest
  @CsvSource({"1", "2"})
  void severalRowGroupsLandInFileOrder(int threads) {
    LabeledData d = read("row_groups.parquet", threads);
    DenseBatch x = (DenseBatch) d.features();
    assertThat(d.rows()).isEqualTo(5000);
    assertThat(x.columns()).isEqualTo(3);
    float[] labels = new float[5000];
    float[] values = new float[5000 * 3];
    for (int i = 0; i < 5000; i++) {
      labels[i] = i % 2;
      values[i * 3] = (float) ((i % 50) * 0.5);
      values[i * 3 + 1] = i % 3 == 0 ? NaN : i % 11;
      values[i * 3 + 2] = i % 7;
    }
    assertThat(d.labels()).containsExactly(labels);
    assertThat(x.values()).containsExactly(values);
  }

  @Test
  void aFileWithoutRowsGivesNoRowsButItsWidth() {
    LabeledData d = read("empty.parquet", 1);
    assertThat(d.rows()).isZero();
    assertThat(d.features().columns()).isEqualTo(1);
  }

  @Test
  void unsignedLongsRoundToTheNearestFloat() {
    for (long v : new long[] {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, 0x8000_0080_0000_0001L, 0x8000_0180_0000_0000L,
        0xFFFF_FF7F_FFFF_FFFFL}) {
      float expected = new java.math.BigDecimal(Long.toUnsignedString(v)).floatValue();
      assertThat(ColumnCursor.unsignedToFloat(v)).as(Long.toUnsignedString(v)).isEqualTo(expected);
    }
  }

}
