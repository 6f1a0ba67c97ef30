package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AddedTreeMarginsTest {
  private static final ForkJoinPool POOL = new ForkJoinPool(2);
  private static final int COLUMNS = 4;

  @AfterAll
  static void shutdown() {
    POOL.shutdown();
  }

  private static XGBoostCApi api() {
    Optional<XGBoostCApi> api = CApiAccess.open(why -> { });
    assumeTrue(api.isPresent() && FlatPredictions.direct(), "the JVM runs without the foreign linker flags");
    return api.get();
  }

  /** Rows with some missing values and values on the split points' both sides. */
  private static float[] rows(Random r, int n) {
    float[] x = new float[n * COLUMNS];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian();
    }
    return x;
  }

  private static float[] labels(float[] x, int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      float a = x[i * COLUMNS];
      y[i] = (a == a && a > 0) ^ (i % 5 == 0) ? 1f : 0f;
    }
    return y;
  }

  @Test
  void marginsKeptHereStayXGBoostsEveryRound() throws Exception {
    XGBoostCApi api = api();
    Random r = new Random(3);
    int n = 3_000;
    float[] xt = rows(r, n);
    float[] xv = rows(r, 20_000);
    DMatrix train = new DMatrix(xt, n, COLUMNS, Float.NaN);
    DMatrix valid = new DMatrix(xv, 20_000, COLUMNS, Float.NaN);
    Booster b = null;
    try {
      train.setLabel(labels(xt, n));
      b = XGBoost.train(train, Map.of("objective", "binary:logistic", "max_depth", 4, "nthread", 2,
          "num_parallel_tree", 2, "subsample", 0.7), 0, Map.of(), null, null);
      AddedTreeMargins kept = new AddedTreeMargins(api, valid, new DenseBatch(20_000, COLUMNS, xv), POOL);
      for (int round = 0; round < 6; round++) {
        b.update(train, round);
        float[] here = kept.margins(b, FlatPredictions.handle(b), null);
        assertThat(here).as("round %d", round).containsExactly(FlatPredictions.margins(b, valid));
      }
      assertThat(kept.addsHere()).isTrue();
    } finally {
      if (b != null) {
        b.dispose();
      }
      train.dispose();
      valid.dispose();
    }
  }

  @Test
  void rowsThatAreNotTheMatrixsAreNoticedAndXGBoostPredicts() throws Exception {
    XGBoostCApi api = api();
    Random r = new Random(4);
    int n = 2_000;
    float[] xt = rows(r, n);
    float[] xv = rows(r, n);
    DMatrix train = new DMatrix(xt, n, COLUMNS, Float.NaN);
    DMatrix valid = new DMatrix(xv, n, COLUMNS, Float.NaN);
    Booster b = null;
    try {
      train.setLabel(labels(xt, n));
      b = XGBoost.train(train, Map.of("objective", "binary:logistic", "nthread", 2), 0, Map.of(), null, null);
      AddedTreeMargins kept = new AddedTreeMargins(api, valid, new DenseBatch(n, COLUMNS, xt), POOL);
      for (int round = 0; round < 3; round++) {
        b.update(train, round);
        float[] got = kept.margins(b, FlatPredictions.handle(b), new float[n]);
        assertThat(got).as("round %d", round).containsExactly(FlatPredictions.margins(b, valid));
      }
      assertThat(kept.addsHere()).isFalse();
    } finally {
      if (b != null) {
        b.dispose();
      }
      train.dispose();
      valid.dispose();
    }
  }
}
