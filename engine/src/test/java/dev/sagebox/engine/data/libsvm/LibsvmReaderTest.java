package dev.sagebox.engine.data.libsvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LibsvmReaderTest {

  private static LabeledData read(String s) {
    return new LibsvmReader(2).readLabeled(s.getBytes(StandardCharsets.UTF_8), "train/f.libsvm");
  }

  @Test
  void readsCsrWithLabels() {
    LabeledData d = read("1 1:0.5 3:2\n0 2:7  # a comment\n\n1\n");
    SparseBatch s = (SparseBatch) d.features();
    assertThat(d.labels()).containsExactly(1f, 0f, 1f);
    assertThat(s.rowOffsets()).containsExactly(0L, 2L, 3L, 3L);
    assertThat(s.indices()).containsExactly(1, 3, 2);
    assertThat(s.values()).containsExactly(0.5f, 2f, 7f);
    assertThat(s.columns()).isEqualTo(4);
    assertThat(d.weights()).isNull();
  }

  @Test
  void readsInstanceWeights() {
    LabeledData d = read("1:0.5 0:1\n0:2.0 0:3\n");
    assertThat(d.labels()).containsExactly(1f, 0f);
    assertThat(d.weights()).containsExactly(0.5f, 2f);
  }

  @Test
  void tokenWithoutColonIsReportedWithLineAndToken() {
    assertThatThrownBy(() -> read("1 1:2\n0 1:2 3\n"))
        .isInstanceOf(DataFormatError.class)
        .hasMessageContaining("train/f.libsvm, line 2")
        .hasMessageContaining("token 3")
        .hasMessageContaining("'3' is not an index:value pair");
  }

  @Test
  void indicesMustIncrease() {
    assertThatThrownBy(() -> read("1 3:1 2:1\n")).hasMessageContaining("index 2 does not increase");
  }

  @Test
  void badLabelAndBadValue() {
    assertThatThrownBy(() -> read("yes 1:2\n")).hasMessageContaining("cannot read label 'yes'");
    assertThatThrownBy(() -> read("1 1:x\n")).hasMessageContaining("cannot read value 'x' of index 1");
  }

  @Test
  void requestRowsMayOmitTheLabel() {
    byte[] b = "0:1 2:3\n1 1:5\n".getBytes(StandardCharsets.UTF_8);
    SparseBatch s = new LibsvmReader(1).readFeatures(b, 0, b.length, "request body");
    assertThat(s.rows()).isEqualTo(2);
    assertThat(s.indices()).containsExactly(0, 2, 1);
    assertThat(s.values()).containsExactly(1f, 3f, 5f);
  }

  @Test
  void anIndexWithNothingAfterTheColonIsZeroAsStockXGBoostReadsIt() {
    // AWS's abalone-multiclass validation file has such a token at the end of a line; stock XGBoost reads it as 0.
    LabeledData d = read("2 1:0.5 8:\n1 1:0.25 8: 9:3\n");
    SparseBatch s = (SparseBatch) d.features();
    assertThat(s.indices()).containsExactly(1, 8, 1, 8, 9);
    assertThat(s.values()).containsExactly(0.5f, 0f, 0.25f, 0f, 3f);
  }
}
