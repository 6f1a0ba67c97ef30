package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The 32-bit AUC sort for 0/1 labels: the same value as the pair count it stands for (exactly: every sum involved is
 * exact in double), on one thread and split in shares whose cut falls inside a run of tied scores, and nothing where
 * the scores spread too wide for 32-bit items.
 */
class PackedRocAucTest {
  private static final ForkJoinPool POOL = new ForkJoinPool(3);

  @AfterAll
  static void stop() {
    POOL.shutdown();
  }

  /** Sum over (positive, negative) pairs of 1 if the positive scores higher and 1/2 if tied, over P * N. */
  private static double pairCount(float[] scores, float[] labels) {
    double pairs = 0;
    long pos = 0;
    long neg = 0;
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
    long negBelow = 0;
    for (int i = 0; i < order.length;) {
      int j = i;
      long p = 0;
      long q = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        if (labels[order[j]] == 1f) {
          p++;
        } else {
          q++;
        }
        j++;
      }
      pairs += p * (negBelow + 0.5 * q);
      negBelow += q;
      pos += p;
      neg += q;
      i = j;
    }
    return pairs / ((double) pos * neg);
  }

  private static float[] probabilities(Random r, int n, int distinct) {
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = distinct > 0 ? (1 + r.nextInt(distinct)) / (distinct + 1f) : 0.001f + 0.998f * r.nextFloat();
    }
    return p;
  }

  private static float[] labelsFor(Random r, float[] p) {
    float[] y = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      y[i] = r.nextFloat() < p[i] ? 1f : 0f;
    }
    return y;
  }

  @Test
  void probabilitiesSortIn32BitItemsToThePairCount() {
    Random r = new Random(3);
    for (int n : new int[] {1, 2, 17, 5_000, 300_001}) {
      for (int distinct : new int[] {0, 1, 3, 700}) {
        float[] p = probabilities(r, n, distinct);
        float[] y = labelsFor(r, p);
        y[0] = 1f - y[n - 1]; // both classes where there are two rows
        for (int threads : new int[] {1, 3}) {
          PackedRocAuc auc = new PackedRocAuc(y, threads == 1 ? null : POOL, threads);
          if (n == 1) {
            assertThat(auc.of(p)).hasValue(Double.NaN);
          } else {
            assertThat(auc.of(p)).as("n=%d distinct=%d threads=%d", n, distinct, threads)
                .hasValue(pairCount(p, y));
            assertThat(auc.of(p)).as("buffers reused").hasValue(pairCount(p, y));
          }
        }
      }
    }
  }

  @Test
  void theSharesCutInsideTiedScoresAndStillSumExactly() {
    // Three scores over 90,000 rows: the cut at a third falls inside a run of equal scores, which must stay whole.
    int n = 90_000;
    float[] p = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = i < 20_000 ? 0.9f : i < 70_000 ? 0.5f : 0.2f;
      y[i] = (i * 7 % 10) < (i < 20_000 ? 8 : i < 70_000 ? 5 : 2) ? 1f : 0f;
    }
    PackedRocAuc auc = new PackedRocAuc(y, POOL, 3);
    assertThat(auc.of(p)).hasValue(pairCount(p, y));
    assertThat(new BinaryRocAuc(y, null, POOL).of(p)).isEqualTo(pairCount(p, y));
  }

  @Test
  void scoresSpreadWiderThan31BitsAreLeftToThe64BitSort() {
    Random r = new Random(5);
    float[] p = new float[1_000];
    for (int i = 0; i < p.length; i++) {
      p[i] = (r.nextFloat() - 0.5f) * 8; // both signs: keys far apart
    }
    p[0] = -4f;
    p[1] = 4f;
    float[] y = labelsFor(r, probabilities(r, p.length, 0));
    assertThat(new PackedRocAuc(y, null, 1).of(p)).isEmpty();
    assertThat(new BinaryRocAuc(y, null, null).of(p)).isEqualTo(pairCount(p, y));
    float[] signs = {-4f, 4f, 3f, -4f};
    float[] labels = {0f, 1f, 1f, 0f};
    assertThat(new PackedRocAuc(labels, null, 1).of(signs)).isEmpty();
    assertThat(new BinaryRocAuc(labels, null, null).of(signs)).isEqualTo(1.0);
    // Probabilities from exactly 0 to exactly 1 are still close enough.
    float[] zeroToOne = {0f, 1f, 0.5f, 1f};
    assertThat(new PackedRocAuc(labels, null, 1).of(zeroToOne)).hasValue(pairCount(zeroToOne, labels));
  }
}
