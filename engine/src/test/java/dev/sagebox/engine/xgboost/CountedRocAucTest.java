package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CountedRocAucTest {
  private static final ForkJoinPool POOL = new ForkJoinPool(3);

  @AfterAll
  static void shutdown() {
    POOL.shutdown();
  }

  /** The sort-and-walk AUC: weights of 1 given explicitly keep {@link BinaryRocAuc} off the counted path. */
  private static double walked(float[] labels, float[] predictions) {
    float[] ones = new float[labels.length];
    Arrays.fill(ones, 1f);
    return new BinaryRocAuc(labels, ones, POOL).of(predictions);
  }

  private static float[] labels(Random r, int n, double positiveRate) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < positiveRate ? 1f : 0f;
    }
    return y;
  }

  @Test
  void countsGiveTheWalksValueBitForBit() {
    Random r = new Random(17);
    for (int n : new int[] {1, 2, 7, 1_000, 65_535, 65_536, 200_003}) {
      for (int distinct : new int[] {1, 3, 50, 1 << 20}) {
        float[] y = labels(r, n, 0.3 + 0.4 * r.nextDouble());
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
          // Probabilities with many ties, and margins of both signs (negative keys order the other way).
          p[i] = distinct == 50 ? (r.nextInt(distinct) - 25) / 7f : r.nextInt(distinct) / (float) distinct;
        }
        for (ForkJoinPool pool : new ForkJoinPool[] {null, POOL}) {
          double counted = new BinaryRocAuc(y, null, pool).of(p);
          double walked = walked(y, p);
          assertThat(Double.doubleToRawLongBits(counted)).as("n %d, %d values: %s vs %s", n, distinct, counted, walked)
              .isEqualTo(Double.doubleToRawLongBits(walked));
        }
      }
    }
  }

  @Test
  void oneClassIsNotANumberAndSpecialScoresOrderAsInTheWalk() {
    assertThat(new BinaryRocAuc(new float[] {1, 1, 1}, null, POOL).of(new float[] {0.1f, 0.2f, 0.3f})).isNaN();
    assertThat(new BinaryRocAuc(new float[] {0, 0}, null, POOL).of(new float[] {0.1f, 0.2f})).isNaN();
    float[] y = {1, 0, 1, 0, 1, 0, 1, 0};
    float[] p = {Float.NaN, 0.5f, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, Float.NaN};
    assertThat(new BinaryRocAuc(y, null, POOL).of(p)).isEqualTo(walked(y, p));
  }

  @Test
  void onlyZeroOneLabelsWithoutWeightsAreCounted() {
    assertThat(CountedRocAuc.applies(new float[] {0, 1, 1}, null)).isTrue();
    assertThat(CountedRocAuc.applies(new float[] {0, 1, 1}, new float[0])).isTrue();
    assertThat(CountedRocAuc.applies(new float[] {0, 1, 1}, new float[] {1, 1, 1})).isFalse();
    assertThat(CountedRocAuc.applies(new float[] {0, 0.5f, 1}, null)).isFalse();
  }
}
