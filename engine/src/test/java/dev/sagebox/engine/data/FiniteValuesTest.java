package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.error.DataFormatError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FiniteValuesTest {
  @Test
  void infiniteFeaturesLabelsAndWeightsAreLocated() {
    DenseBatch dense = new DenseBatch(2, 3, new float[] {1, 2, 3, 4, Float.POSITIVE_INFINITY, Float.NaN});
    assertThatThrownBy(() -> FiniteValues.require(dense, "request body"))
        .isInstanceOf(DataFormatError.class).hasMessageContaining("request body, row 2, feature 1: the value is infinite");
    LabeledData sparse = new LibsvmReader(1).readLabeled("1 1:2\n0 3:1e400\n".getBytes(StandardCharsets.UTF_8),
        "train/a.libsvm");
    assertThatThrownBy(() -> FiniteValues.require(sparse))
        .isInstanceOf(DataFormatError.class).hasMessageContaining("train/a.libsvm, row 2, feature 3");
    LabeledData label = new LabeledData("train/b.csv", new DenseBatch(1, 1, new float[] {1}),
        new float[] {Float.NEGATIVE_INFINITY}, null);
    assertThatThrownBy(() -> FiniteValues.require(label)).hasMessageContaining("train/b.csv, row 1: the label is infinite");
    FiniteValues.require(new DenseBatch(1, 2, new float[] {Float.NaN, 0}), "nan is missing, not refused");
  }
}
