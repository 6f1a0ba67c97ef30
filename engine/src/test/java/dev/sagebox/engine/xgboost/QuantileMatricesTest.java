package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quantile matrices built through XGBoost's C API against xgboost4j's float DMatrix on the same rows: the same
 * sizes and labels, and boosters that predict the same (one block: bit for bit; several blocks: the sketch is merged
 * from blocks, so the cuts may differ slightly and predictions are compared loosely).
 */
class QuantileMatricesTest {
  private final XGBoostCApi api = CApiAccess.open(why -> {
    throw new AssertionError("the test JVM runs with the foreign-linker flags: " + why);
  }).orElseThrow();
  private final QuantileMatrices quantile = new QuantileMatrices(api, 2, 256);
  private final List<DMatrix> open = new java.util.ArrayList<>();

  @AfterEach
  void dispose() {
    open.forEach(DMatrix::dispose);
  }

  private DMatrix keep(DMatrix m) {
    open.add(m);
    return m;
  }

  private static TrainingRows dense(int rows, int cols, long seed, boolean weights) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    float[] w = weights ? new float[rows] : null;
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        float v = r.nextInt(50) == 0 ? Float.NaN : (float) r.nextGaussian();
        x[i * cols + j] = v;
        s += Float.isNaN(v) ? 0 : v * (j % 3 == 0 ? 1 : 0.3);
      }
      y[i] = s + 0.5 * r.nextGaussian() > 0 ? 1 : 0;
      if (w != null) {
        w[i] = 0.5f + r.nextFloat();
      }
    }
    return new TrainingRows("dense", new DenseBatch(rows, cols, x), y, w, null, null);
  }

  private static TrainingRows sparse(int rows, int cols, long seed) {
    Random r = new Random(seed);
    long[] offsets = new long[rows + 1];
    List<Integer> idx = new java.util.ArrayList<>();
    List<Float> val = new java.util.ArrayList<>();
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        if (r.nextInt(3) == 0) {
          float v = (float) r.nextGaussian();
          idx.add(j);
          val.add(v);
          s += j < 3 ? v : 0;
        }
      }
      offsets[i + 1] = idx.size();
      y[i] = s > 0 ? 1 : 0;
    }
    int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] values = new float[val.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = val.get(i);
    }
    return new TrainingRows("sparse", new SparseBatch(rows, cols, offsets, indices, values), y, null, null, null);
  }

  private static Booster train(DMatrix m, int rounds) throws XGBoostError {
    Map<String, Object> p = new HashMap<>(Map.of("objective", "binary:logistic", "nthread", 2, "max_depth", 4,
        "eval_metric", "auc", "seed", 0));
    return XGBoost.train(m, p, rounds, Map.of(), null, null);
  }

  private static float[] predict(Booster b, DMatrix m) throws XGBoostError {
    float[][] p = b.predict(m);
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i][0];
    }
    return out;
  }

  @Test
  void oneBlockTrainsTheSameBoosterAsTheFloatMatrix() throws Exception {
    TrainingRows rows = dense(3000, 6, 1, true);
    DMatrix q = keep(quantile.inMemory(RowBlocks.inMemory(rows, 10_000), 6, null));
    DMatrix plain = keep(DMatrices.of(rows, 6));
    assertThat(q.rowNum()).isEqualTo(3000);
    assertThat(q.getLabel()).containsExactly(rows.labels());
    assertThat(q.getWeight()).containsExactly(rows.weights());
    Booster a = train(q, 20);
    Booster b = train(plain, 20);
    assertThat(predict(a, plain)).containsExactly(predict(b, plain));
    assertThat(a.getModelDump((String) null, false)).containsExactly(b.getModelDump((String) null, false));
  }

  @Test
  void manyBlocksKeepEveryRowInOrder() throws Exception {
    TrainingRows rows = dense(5000, 4, 2, false);
    DMatrix q = keep(quantile.inMemory(RowBlocks.inMemory(rows, 777), 4, null));
    assertThat(q.rowNum()).isEqualTo(5000);
    assertThat(q.getLabel()).containsExactly(rows.labels());
    DMatrix plain = keep(DMatrices.of(rows, 4));
    float[] a = predict(train(q, 20), plain);
    float[] b = predict(train(plain, 20), plain);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertThat(worst).isLessThan(0.05);
  }

  @Test
  void sparseBlocksMatchTheCsrMatrix() throws Exception {
    TrainingRows rows = sparse(2000, 10, 3);
    DMatrix q = keep(quantile.inMemory(RowBlocks.inMemory(rows, 300), 10, null));
    DMatrix plain = keep(DMatrices.of(rows, 10));
    assertThat(q.rowNum()).isEqualTo(2000);
    assertThat(q.getLabel()).containsExactly(rows.labels());
    float[] a = predict(train(q, 10), plain);
    float[] b = predict(train(plain, 10), plain);
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(0.05f));
    }
  }

  @Test
  void aValidationMatrixWithTheTrainingCutsPredictsLikeTheFloatMatrix() throws Exception {
    TrainingRows train = dense(3000, 5, 4, false);
    TrainingRows valid = dense(1000, 5, 5, false);
    DMatrix qt = keep(quantile.inMemory(RowBlocks.inMemory(train, 10_000), 5, null));
    DMatrix qv = keep(quantile.inMemory(RowBlocks.inMemory(valid, 10_000), 5, qt));
    Booster b = train(qt, 30);
    assertThat(predict(b, qv)).containsExactly(predict(b, keep(DMatrices.of(valid, 5))));
  }

  @Test
  void aBlockThatFailsIsRethrownAndNothingLeaks() {
    TrainingRows rows = dense(1000, 3, 6, false);
    RowBlocks failing = new RowBlocks() {
      private final RowBlocks inner = RowBlocks.inMemory(rows, 200);
      private int calls;

      @Override
      public void reset() throws Exception {
        inner.reset();
      }

      @Override
      public Block next() throws Exception {
        if (++calls == 3) {
          throw new java.io.IOException("disk went away at block 3");
        }
        return inner.next();
      }
    };
    assertThatThrownBy(() -> quantile.inMemory(failing, 3, null)).isInstanceOf(java.io.IOException.class)
        .hasMessage("disk went away at block 3");
  }

  @Test
  void withQuantileTrainingTheValidationMatrixIsAFloatOneThatPredictsTheSame() throws Exception {
    // XGBoost predicts quantile matrices far slower, and the validation matrix is predicted every round.
    XGBoostParams params = XGBoostParams.parse(Map.of("num_round", "5", "data_matrix", "quantile"), w -> { });
    TrainingMatrices matrices = TrainingMatrices.choose(params, 2, new RecordingListener());
    TrainingRows train = dense(3000, 5, 4, false);
    TrainingRows valid = dense(1000, 5, 5, false);
    DMatrix qt = keep(matrices.train(train, 5));
    DMatrix v = keep(matrices.validation(valid, 5, qt));
    assertThat(qt.getClass()).isNotEqualTo(DMatrix.class);
    assertThat(v.getClass()).isEqualTo(DMatrix.class);
    assertThat(v.getLabel()).containsExactly(valid.labels());
    Booster b = train(qt, 30);
    assertThat(predict(b, v)).containsExactly(predict(b, keep(quantile.inMemory(RowBlocks.inMemory(valid, 10_000),
        5, qt))));
  }

  @Test
  void theChoiceFollowsTheTreeMethodAndBooster() {
    assertThat(TrainingMatrices.quantileBlocker(Map.of())).isEmpty();
    assertThat(TrainingMatrices.quantileBlocker(Map.of("tree_method", "hist", "booster", "dart"))).isEmpty();
    assertThat(TrainingMatrices.quantileBlocker(Map.of("tree_method", "exact"))).contains("tree_method exact");
    assertThat(TrainingMatrices.quantileBlocker(Map.of("tree_method", "approx"))).contains("tree_method approx");
    assertThat(TrainingMatrices.quantileBlocker(Map.of("booster", "gblinear"))).contains("booster gblinear");
    assertThat(TrainingMatrices.quantileBlocker(Map.of("updater", "grow_quantile_histmaker,prune"))).isPresent();
    assertThat(TrainingMatrices.quantileBlocker(Map.of("process_type", "update"))).isPresent();
    assertThat(TrainingMatrices.quantileBlocker(Map.of("device", "cuda"))).contains("device cuda");
    RecordingListener log = new RecordingListener();
    XGBoostParams defaults = XGBoostParams.parse(Map.of("num_round", "5"), w -> { });
    assertThat(TrainingMatrices.choose(defaults, 2, log).description()).startsWith("xgboost4j float DMatrix");
    XGBoostParams quantile = XGBoostParams.parse(Map.of("num_round", "5", "data_matrix", "quantile"), w -> { });
    assertThat(TrainingMatrices.choose(quantile, 2, log).description()).startsWith("quantile matrix");
    assertThat(log.warnings).isEmpty();
  }
}
