package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served predictor answers small batches with the Java evaluator and large ones with XGBoost: the two must give
 * the same outputs, for the default output and for selected outputs that need margins (softmax probabilities).
 */
class SmallBatchEvaluatorsTest {
  @TempDir
  Path tmp;
  private final List<String> warnings = new ArrayList<>();

  private Path model(Map<String, Object> params, float[] x, float[] y, int rows, int cols) throws Exception {
    DMatrix m = new DMatrix(x, rows, cols, Float.NaN);
    m.setLabel(y);
    Booster b = XGBoost.train(m, params, 30, Map.of(), null, null);
    Path dir = Files.createDirectories(tmp.resolve("m" + params.hashCode()));
    Files.write(dir.resolve("xgboost-model"), b.toByteArray("ubj"));
    b.dispose();
    m.dispose();
    return dir;
  }

  private static float[] column(Predictions p, String name, int rows) {
    Column c = p.columns().get(name);
    List<Float> out = new ArrayList<>();
    if (c instanceof Column.Scalars s) {
      for (float v : s.values()) {
        out.add(v);
      }
    } else if (c instanceof Column.Vectors v) {
      for (float[] row : v.values()) {
        for (float f : row) {
          out.add(f);
        }
      }
    } else if (c instanceof Column.Integers i) {
      for (int v : i.values()) {
        out.add((float) v);
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private void sameAnswersInSmallAndLargeBatches(Path dir, List<String> outputs, int cols, float[] x, int rows)
      throws Exception {
    XGBoostAlgorithm algorithm = new XGBoostAlgorithm("test", warnings::add);
    try (Predictor p = algorithm.load(dir, null, new PredictorOptions(outputs, 1))) {
      assertThat(rows).isGreaterThan(SmallBatchEvaluators.MAX_ROWS);
      Predictions large = p.predict(new DenseBatch(rows, cols, x));
      for (String name : large.columns().keySet()) {
        float[] whole = column(large, name, rows);
        int width = whole.length / rows;
        for (int from = 0; from < rows; from += 7) {
          int n = Math.min(7, rows - from);
          Predictions part = p.predict(new DenseBatch(n, cols, Arrays.copyOfRange(x, from * cols, (from + n) * cols)));
          float[] got = column(part, name, n);
          for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("%s, row %d", name, from + i / width)
                .isCloseTo(whole[from * width + i], org.assertj.core.data.Offset.offset(1e-6));
          }
        }
      }
    }
    assertThat(warnings).noneMatch(w -> w.contains("disagrees"));
  }

  @Test
  void largeBatchesArePredictedInChunksWithTheSameAnswers() throws Exception {
    Random r = new Random(9);
    int rows = XGBoostPredictor.CHUNK_ROWS * 2 + 123;
    int cols = 6;
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = x[i * cols] + x[i * cols + 1] > 0 ? 1 : 0;
    }
    Path dir = model(Map.of("objective", "binary:logistic", "max_depth", 4), x, y, rows, cols);
    Booster whole = XGBoost.loadModel(Files.readAllBytes(dir.resolve("xgboost-model")));
    float[][] expected = whole.inplace_predict(x, rows, cols, Float.NaN);
    whole.dispose();
    try (Predictor p = new XGBoostAlgorithm("test", warnings::add).load(dir, null, PredictorOptions.defaults())) {
      float[] got = ((Column.Scalars) p.predict(new DenseBatch(rows, cols, x)).columns().get("score")).values();
      for (int i = 0; i < rows; i++) {
        assertThat(got[i]).as("row %d", i).isEqualTo(expected[i][0]);
      }
    }
  }

  @Test
  void binaryAndMulticlassAnswerTheSameWhateverTheBatchSize() throws Exception {
    Random r = new Random(3);
    int rows = 700;
    int cols = 8;
    float[] x = new float[rows * cols];
    float[] yb = new float[rows];
    float[] ym = new float[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int c = 0; c < cols; c++) {
        float v = r.nextInt(8) == 0 ? Float.NaN : (float) r.nextGaussian();
        x[i * cols + c] = v;
        s += Float.isNaN(v) ? 0 : v * (c + 1) % 3;
      }
      yb[i] = s > 0 ? 1 : 0;
      ym[i] = Math.floorMod((int) Math.round(s), 3);
    }
    Path binary = model(Map.of("objective", "binary:logistic", "max_depth", 6), x, yb, rows, cols);
    sameAnswersInSmallAndLargeBatches(binary, List.of(), cols, x, rows);
    sameAnswersInSmallAndLargeBatches(binary, List.of("predicted_label", "probability"), cols, x, rows);
    Path multi = model(Map.of("objective", "multi:softmax", "num_class", 3, "max_depth", 5), x, ym, rows, cols);
    sameAnswersInSmallAndLargeBatches(multi, List.of(), cols, x, rows);
    // probabilities of multi:softmax need margins: through XGBoost for 700 rows, through Java for 7.
    sameAnswersInSmallAndLargeBatches(multi, List.of("predicted_label", "probabilities"), cols, x, rows);
  }
}
