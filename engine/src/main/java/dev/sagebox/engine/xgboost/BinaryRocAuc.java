package dev.sagebox.engine.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * XGBoost's binary ROC AUC of one evaluation set, computed the way XGBoost computes it (so that the printed value is
 * the same): the rows in descending order of prediction, equal predictions kept in row order (XGBoost's stable
 * argsort), then one walk that sums weighted false and true positives and adds a trapezoid at each change of
 * prediction, and the area divided by {@code fp * tp} (not a number when one class is missing).
 *
 * <p>The order comes from a least-significant-digit radix sort of the predictions' bits (three passes of 11 bits, a
 * pass skipped when every row has the same digit), split across the pool's threads: each thread counts the digits
 * of its share of the rows, then writes its rows to their places; stable, as XGBoost's sort is. The buffers are
 * allocated once per set and reused every round.
 */
final class BinaryRocAuc {
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;
  /** Fewer rows than this are sorted on the calling thread. */
  private static final int PARALLEL_ROWS = 1 << 16;

  private final float[] labels;
  private final float[] weights;
  private final ForkJoinPool pool;
  private final int chunks;
  private final int[][] counts;
  private int[] keys;
  private int[] keysTmp;
  private int[] order;
  private int[] orderTmp;

  /**
   * @param labels the set's labels (0 and 1; other values count as XGBoost counts them: label as positive weight,
   *     1 - label as negative)
   * @param weights the rows' weights, or null (or empty) for weight 1
   */
  BinaryRocAuc(float[] labels, float[] weights, ForkJoinPool pool) {
    this.labels = labels;
    this.weights = weights == null || weights.length == 0 ? null : weights;
    if (this.weights != null && this.weights.length != labels.length) {
      throw new IllegalArgumentException(this.weights.length + " weights for " + labels.length + " labels");
    }
    this.pool = pool;
    int n = labels.length;
    this.chunks = n < PARALLEL_ROWS || pool == null ? 1 : Math.max(1, pool.getParallelism());
    this.counts = new int[chunks][RADIX];
    this.keys = new int[n];
    this.keysTmp = new int[n];
    this.order = new int[n];
    this.orderTmp = new int[n];
  }

  /** The AUC of {@code predictions} (one per row, as XGBoost's objective transforms them for evaluation). */
  double of(float[] predictions) {
    int n = labels.length;
    if (predictions.length != n) {
      throw new IllegalArgumentException(predictions.length + " predictions for " + n + " labels");
    }
    if (n == 0) {
      return Double.NaN;
    }
    forEachChunk(n, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        keys[i] = descendingKey(predictions[i]);
        order[i] = i;
      }
    });
    for (int shift = 0; shift < Integer.SIZE; shift += BITS) {
      pass(n, shift);
    }
    return walk(n);
  }

  /**
   * A key whose unsigned order is the descending order of {@code v}; -0 and +0 get the same key, as they compare
   * equal.
   */
  static int descendingKey(float v) {
    int bits = Float.floatToRawIntBits(v + 0.0f);
    int ascending = bits ^ ((bits >> 31) | Integer.MIN_VALUE);
    return ~ascending;
  }

  private void pass(int n, int shift) {
    int[] src = keys;
    forEachChunk(n, (c, from, to) -> {
      int[] h = counts[c];
      java.util.Arrays.fill(h, 0);
      for (int i = from; i < to; i++) {
        h[(src[i] >>> shift) & MASK]++;
      }
    });
    int next = 0;
    for (int d = 0; d < RADIX; d++) {
      int start = next;
      for (int c = 0; c < chunks; c++) {
        int k = counts[c][d];
        counts[c][d] = next;
        next += k;
      }
      if (next - start == n) {
        return; // every row has this digit: the pass would not move anything
      }
    }
    int[] srcOrder = order;
    int[] dstKeys = keysTmp;
    int[] dstOrder = orderTmp;
    forEachChunk(n, (c, from, to) -> {
      int[] at = counts[c];
      for (int i = from; i < to; i++) {
        int k = src[i];
        int p = at[(k >>> shift) & MASK]++;
        dstKeys[p] = k;
        dstOrder[p] = srcOrder[i];
      }
    });
    keysTmp = keys;
    keys = dstKeys;
    orderTmp = order;
    order = dstOrder;
  }

  /** XGBoost's walk over the sorted rows, in its arithmetic (float products added to double sums). */
  private double walk(int n) {
    int row = order[0];
    float label = labels[row];
    float w = weight(row);
    double fp = (1.0 - label) * w;
    double tp = label * w;
    double fpPrev = 0;
    double tpPrev = 0;
    double auc = 0;
    for (int i = 1; i < n; i++) {
      if (keys[i] != keys[i - 1]) {
        auc += trapezoid(fpPrev, fp, tpPrev, tp);
        tpPrev = tp;
        fpPrev = fp;
      }
      row = order[i];
      label = labels[row];
      w = weight(row);
      fp += (1.0f - label) * w;
      tp += label * w;
    }
    auc += trapezoid(fpPrev, fp, tpPrev, tp);
    if (fp <= 0.0f || tp <= 0.0f) {
      return Double.NaN;
    }
    double area = fp * tp;
    return area <= 0 ? Double.NaN : auc / area;
  }

  private float weight(int row) {
    return weights == null ? 1.0f : weights[row];
  }

  private static double trapezoid(double x0, double x1, double y0, double y1) {
    return Math.abs(x0 - x1) * (y0 + y1) * 0.5f;
  }

  /** One share of the rows. */
  private interface Chunk {
    void run(int chunk, int from, int to);
  }

  private void forEachChunk(int n, Chunk body) {
    if (chunks == 1) {
      body.run(0, 0, n);
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int chunk = c;
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      tasks.add(pool.submit(() -> body.run(chunk, from, to)));
    }
    body.run(0, 0, (int) ((long) n / chunks));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }
}
