package dev.sagebox.engine.data.parquet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.PlatformError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal says what was wrong, where (file, row or column), and what is accepted. */
class ParquetReaderErrorTest {

  private static AbstractThrowableAssert<?, ? extends Throwable> reading(String name) {
    return assertThatThrownBy(() -> ParquetReaderTest.read(name, 1))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/" + name + ": ");
  }

  @Test
  void aStringFeatureIsNamedWithItsType() {
    reading("string_feature.parquet")
        .hasMessageContaining("column 3 ('city') has type binary (STRING), which is not a number")
        .hasMessageContaining(ParquetSchema.ACCEPTED);
  }

  @Test
  void aStringLabelIsNamedAsTheLabel() {
    reading("string_label.parquet")
        .hasMessageContaining("the label, column 1 ('y') has type binary (STRING)")
        .hasMessageContaining(ParquetSchema.ACCEPTED);
  }

  @Test
  void nestedColumnsAreRefused() {
    reading("list_feature.parquet")
        .hasMessageContaining("column 2 ('tags') is a nested column (group (LIST))")
        .hasMessageContaining("accepted: flat columns");
    reading("struct_feature.parquet")
        .hasMessageContaining("column 2 ('point') is a nested column (group (struct))")
        .hasMessageContaining("accepted: flat columns");
  }

  @Test
  void datesAndWideDecimalsAreNotTakenForNumbers() {
    reading("timestamp_feature.parquet")
        .hasMessageContaining("column 2 ('seen') has type int64 (TIMESTAMP(MICROS,false)), a date or time, not a "
            + "number")
        .hasMessageContaining("Cast it to a number or drop it");
    reading("wide_decimal_feature.parquet")
        .hasMessageContaining("column 2 ('amount') has type fixed_len_byte_array(16) (DECIMAL(38,2)), a decimal "
            + "too wide for int32/int64")
        .hasMessageContaining("DECIMAL stored as int32/int64");
  }

  @Test
  void aNullLabelNamesItsRow() {
    reading("null_label.parquet")
        .hasMessage("train/null_label.parquet: row 3: the label, column 1 ('y') is null; every training row needs a "
            + "label (nulls are accepted in feature columns only)");
  }

  @Test
  void aNullLabelNamesItsRowWhenRowGroupsAreReadInParallel() {
    assertThatThrownBy(() -> ParquetReaderTest.read("null_label.parquet", 2)).hasMessageContaining("row 3: ");
  }

  @Test
  void aLabelWithoutFeaturesIsRefused() {
    reading("label_only.parquet")
        .hasMessageContaining("has 1 column(s) ['y'] but training data needs the label in the first column and at "
            + "least one feature column");
  }

  @Test
  void anUnsupportedCodecIsNamedWithTheAcceptedOnes() {
    reading("brotli.parquet")
        .hasMessageContaining("column 'label' in row group 1 is compressed with BROTLI")
        .hasMessageContaining("accepted codecs: UNCOMPRESSED, SNAPPY");
  }

  @Test
  void aCsvFileIsNotParquet(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("data.parquet"), "1,2,3\n0,4,5\n");
    assertThatThrownBy(() -> new ParquetReader(1).readLabeled(file, "train/data.parquet"))
        .isInstanceOf(DataFormatError.class)
        .hasMessage("train/data.parquet: is not a Parquet file (it does not end with the 'PAR1' magic number and a "
            + "footer); application/x-parquet channels take Parquet files only");
  }

  @Test
  void aTruncatedFileIsNotParquet(@TempDir Path dir) throws IOException {
    byte[] whole = Files.readAllBytes(ParquetReaderTest.fixture("breast_cancer_20.snappy.parquet"));
    Path file = Files.write(dir.resolve("cut.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> new ParquetReader(1).readLabeled(file, "train/cut.parquet"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/cut.parquet: is not a Parquet file");
  }

  @Test
  void damagedPagesAreReportedAsDamage(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(ParquetReaderTest.fixture("breast_cancer_20.snappy.parquet"));
    for (int i = 200; i < 2200; i++) {
      bytes[i] = (byte) 0xA5;
    }
    Path file = Files.write(dir.resolve("bad.parquet"), bytes);
    assertThatThrownBy(() -> new ParquetReader(1).readLabeled(file, "train/bad.parquet"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageStartingWith("train/bad.parquet: cannot be read as Parquet, it looks damaged or truncated (");
  }

  @Test
  void aMissingFileIsAPlatformError(@TempDir Path dir) {
    assertThatThrownBy(() -> new ParquetReader(1).readLabeled(dir.resolve("gone.parquet"), "train/gone.parquet"))
        .isInstanceOf(PlatformError.class)
        .hasMessageContaining("gone.parquet");
  }
}
