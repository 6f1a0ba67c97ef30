package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** LeNetPredictor on SameDiff: pixel scaling, errors, and concurrent requests. */
class LeNetPredictorTest {
  private static final ModelManifest MANIFEST = new ModelManifest(ModelManifest.CURRENT_FORMAT, LeNetAlgorithm.NAME,
      LeNetWeightsFile.NAME, Images.SIZE, "softmax", Images.CLASSES, "test", Map.of());

  private static LeNetWeights weights() {
    return LeNetInit.xavier(LeNetParams.parse(Map.of("conv1_filters", "4", "conv2_filters", "6", "dense_units",
        "16", "seed", "3"), m -> { }));
  }

  @Test
  void answersLabelsAndProbabilitiesForRawAndScaledPixels() {
    LeNetWeights w = weights();
    Images valid = LeNetGraphTest.sample("validation");
    int n = 5;
    float[] raw = java.util.Arrays.copyOf(valid.pixels(), n * Images.SIZE);
    float[] expected = LeNetForward.probabilities(w, LeNetTrainer.scaled(valid.pixels(), n), n);
    try (LeNetPredictor p = new LeNetPredictor(w, 3, MANIFEST)) {
      for (float[] rows : List.of(raw, LeNetTrainer.scaled(valid.pixels(), n))) {
        Predictions out = p.predict(new DenseBatch(n, Images.SIZE, rows));
        float[][] probs = ((Column.Vectors) out.columns().get("probabilities")).values();
        int[] labels = ((Column.Integers) out.columns().get("predicted_label")).values();
        for (int r = 0; r < n; r++) {
          float[] want = java.util.Arrays.copyOfRange(expected, r * Images.CLASSES, (r + 1) * Images.CLASSES);
          assertThat(LeNetGraphTest.maxDifference(probs[r], want)).isLessThanOrEqualTo(1e-5f);
          int best = 0;
          for (int c = 1; c < Images.CLASSES; c++) {
            best = want[c] > want[best] ? c : best;
          }
          assertThat(labels[r]).isEqualTo(best);
        }
      }
      float[] bad = new float[Images.SIZE];
      bad[3] = 300;
      assertThatThrownBy(() -> p.predict(new DenseBatch(1, Images.SIZE, bad))).isInstanceOf(UserError.class)
          .hasMessageContaining("instance 1, pixel 4: 300.0 is not a pixel value");
    }
  }

  @Test
  void concurrentSingleImageRequestsGetTheirOwnAnswers() throws Exception {
    LeNetWeights w = weights();
    Images valid = LeNetGraphTest.sample("validation");
    int n = 64;
    float[] expected = LeNetForward.probabilities(w, LeNetTrainer.scaled(valid.pixels(), n), n);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (LeNetPredictor p = new LeNetPredictor(w, 3, MANIFEST)) {
      List<Future<float[]>> answers = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < n; i++) {
          float[] one = java.util.Arrays.copyOfRange(valid.pixels(), i * Images.SIZE, (i + 1) * Images.SIZE);
          answers.add(pool.submit(() -> ((Column.Vectors) p.predict(new DenseBatch(1, Images.SIZE, one)).columns()
              .get("probabilities")).values()[0]));
        }
      }
      for (int k = 0; k < answers.size(); k++) {
        int i = k % n;
        float[] want = java.util.Arrays.copyOfRange(expected, i * Images.CLASSES, (i + 1) * Images.CLASSES);
        assertThat(LeNetGraphTest.maxDifference(answers.get(k).get(), want)).as("image " + i).isLessThanOrEqualTo(1e-5f);
      }
    } finally {
      pool.shutdown();
    }
  }
}
