package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeNet served through ONNX Runtime: the reference's probabilities, LeNetPredictor's pixel rules and columns. */
class OnnxLeNetPredictorTest {
  @TempDir
  Path tmp;

  private final LeNetWeights weights = LeNetOnnxTest.randomWeights(4, 6, 16, 5);
  private final ModelManifest manifest = new ModelManifest(ModelManifest.CURRENT_FORMAT, "lenet", "lenet-model.zip",
      Images.SIZE, "multiclass", Images.CLASSES, "test", Map.of());

  private OnnxLeNetPredictor open() {
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    LeNetOnnx.write(weights, file);
    return OnnxLeNetPredictor.open(file, manifest, new PredictorOptions(List.of(), 2));
  }

  private static int argmax(float[] p, int offset) {
    int best = 0;
    for (int c = 1; c < Images.CLASSES; c++) {
      if (p[offset + c] > p[offset + best]) {
        best = c;
      }
    }
    return best;
  }

  @Test
  void answersLabelsAndProbabilitiesOfTheReferenceForRawAndScaledPixels() {
    int n = 9;
    float[] scaled = LeNetOnnxTest.randomImages(n, 3);
    float[] raw = new float[scaled.length];
    for (int i = 0; i < raw.length; i++) {
      // Whole 0-255 values, as in a CSV of MNIST pixels; the reference sees them divided by 255.
      raw[i] = Math.round(scaled[i] * 255f);
      if (i % Images.SIZE == 0) {
        raw[i] = 255f;
      }
    }
    float[] rawScaled = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      rawScaled[i] = raw[i] / 255f;
    }
    try (OnnxLeNetPredictor p = open()) {
      assertThat(p.manifest()).isSameAs(manifest);
      for (float[][] pair : new float[][][] {{scaled, scaled}, {raw, rawScaled}}) {
        Predictions out = p.predict(new DenseBatch(n, Images.SIZE, pair[0]));
        assertThat(out.keys()).containsExactly("predicted_label", "probabilities");
        float[] expected = LeNetForward.probabilities(weights, pair[1], n);
        float[][] probs = ((Column.Vectors) out.columns().get("probabilities")).values();
        int[] labels = ((Column.Integers) out.columns().get("predicted_label")).values();
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < Images.CLASSES; c++) {
            assertThat((double) probs[r][c]).isCloseTo(expected[r * Images.CLASSES + c],
                org.assertj.core.data.Offset.offset(1e-5));
          }
          assertThat(labels[r]).isEqualTo(argmax(expected, r * Images.CLASSES));
        }
      }
      Predictions none = p.predict(new DenseBatch(0, Images.SIZE, new float[0]));
      assertThat(none.rows()).isZero();
      assertThat(none.keys()).containsExactly("predicted_label", "probabilities");
    }
  }

  @Test
  void badPixelsAndSparseRowsGetTheMessagesOfTheNativePredictor() {
    try (OnnxLeNetPredictor p = open()) {
      float[] x = new float[2 * Images.SIZE];
      x[Images.SIZE + 4] = 256f;
      assertThatThrownBy(() -> p.predict(new DenseBatch(2, Images.SIZE, x))).isInstanceOf(UserError.class)
          .hasMessage("instance 2, pixel 5: 256.0 is not a pixel value (accepted: 0-255, or 0-1 for an already "
              + "scaled image)");
      x[Images.SIZE + 4] = -1f;
      assertThatThrownBy(() -> p.predict(new DenseBatch(2, Images.SIZE, x))).hasMessageContaining("-1.0 is not");
      x[Images.SIZE + 4] = Float.NaN;
      assertThatThrownBy(() -> p.predict(new DenseBatch(2, Images.SIZE, x))).hasMessageContaining("NaN is not");
      SparseBatch sparse = new SparseBatch(1, Images.SIZE, new long[] {0, 1}, new int[] {3}, new float[] {1f});
      assertThatThrownBy(() -> p.predict(sparse)).isInstanceOf(UserError.class)
          .hasMessage("LeNet takes dense pixel rows (CSV, JSON or an image), not sparse libsvm rows");
    }
  }

  @Test
  void manyThreadsAtOnceGetTheirOwnAnswers() throws Exception {
    int n = 3;
    try (OnnxLeNetPredictor p = open()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
          long seed = t;
          results.add(pool.submit(() -> {
            float[] x = LeNetOnnxTest.randomImages(n, seed);
            float[] expected = LeNetForward.probabilities(weights, x, n);
            float[][] got = ((Column.Vectors) p.predict(new DenseBatch(n, Images.SIZE, x)).columns()
                .get("probabilities")).values();
            for (int r = 0; r < n; r++) {
              for (int c = 0; c < Images.CLASSES; c++) {
                if (Math.abs(got[r][c] - expected[r * Images.CLASSES + c]) > 1e-5) {
                  return false;
                }
              }
            }
            return true;
          }));
        }
        for (Future<Boolean> f : results) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
