package dev.sagebox.engine.xgboost;

import java.util.concurrent.ForkJoinPool;

/**
 * XGBoost's binary ROC AUC of one evaluation set, computed the way XGBoost computes it (so that the printed value is
 * the same): the rows in descending order of prediction, equal predictions kept in row order (XGBoost's stable
 * argsort), then one walk that sums weighted false and true positives and adds a trapezoid at each change of
 * prediction, and the area divided by {@code fp * tp} (not a number when one class is missing).
 *
 * <p>The order comes from a least-significant-digit radix sort of the predictions' bits (three passes of 11 bits, a
 * pass skipped when every row has the same digit), split across the pool's threads: each thread counts the digits
 * of its share of the rows, then writes its rows to their places; stable, as XGBoost's sort is. Each row travels as
 * one {@code long} (key and row number; with 0/1 labels and no weights, the label too, so that the walk reads
 * nothing but the sorted array and counts in integers). The buffers are allocated once per set and reused. Sets
 * with 0/1 labels and no weights go to {@link PackedRocAuc} first, which sorts 32-bit items where it can.
 */
final class BinaryRocAuc {
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;
  /** Fewer rows than this are sorted on the calling thread. */
  private static final int PARALLEL_ROWS = 1 << 16;

  private final float[] labels;
  private final float[] weights;
  /** Labels all 0 or 1 and no weights: the label rides in the sorted items and the walk reads nothing else. */
  private final boolean packedLabels;
  private final ForkJoinPool pool;
  private final int chunks;
  private final int[][] counts;
  /** For 0/1 labels without weights: the 32-bit sort, tried first; else null. */
  private final PackedRocAuc packedSort;
  /** Per row: the sort key in the high 32 bits; the row (times 2, plus the label when packed) in the low 32. */
  private long[] items;
  private long[] itemsTmp;

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
    boolean binary = this.weights == null;
    for (int i = 0; binary && i < labels.length; i++) {
      binary = labels[i] == 0f || labels[i] == 1f;
    }
    this.packedLabels = binary;
    this.pool = pool;
    int n = labels.length;
    this.chunks = PoolShares.count(n, PARALLEL_ROWS, pool);
    this.counts = new int[chunks][RADIX];
    this.packedSort = binary ? new PackedRocAuc(labels, pool, chunks) : null;
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
    if (packedSort != null) {
      java.util.OptionalDouble narrow = packedSort.of(predictions);
      if (narrow.isPresent()) {
        return narrow.getAsDouble();
      }
    }
    if (items == null) { // first needed here: the 64-bit items of 800,000 rows take 13 MB
      items = new long[n];
      itemsTmp = new long[n];
    }
    long[] out = items;
    boolean packed = packedLabels;
    // The keys, and the first pass's digit counts in the same sweep.
    forEachChunk(n, (c, from, to) -> {
      int[] h = counts[c];
      java.util.Arrays.fill(h, 0);
      for (int i = from; i < to; i++) {
        int key = descendingKey(predictions[i]);
        long low = packed ? (i << 1) | (int) labels[i] : i;
        out[i] = ((long) key << 32) | low;
        h[key & MASK]++;
      }
    });
    scatter(n, 32);
    for (int shift = 32 + BITS; shift < Long.SIZE; shift += BITS) {
      count(n, shift);
      scatter(n, shift);
    }
    return packed ? walkPacked(n) : walk(n);
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

  private void count(int n, int shift) {
    long[] src = items;
    forEachChunk(n, (c, from, to) -> {
      int[] h = counts[c];
      java.util.Arrays.fill(h, 0);
      for (int i = from; i < to; i++) {
        h[(int) (src[i] >>> shift) & MASK]++;
      }
    });
  }

  /** Moves the items to their places by the digit at {@code shift}, using the counts of each chunk's digits. */
  private void scatter(int n, int shift) {
    if (!startPositions(counts, RADIX, n)) {
      return;
    }
    long[] src = items;
    long[] dst = itemsTmp;
    forEachChunk(n, (c, from, to) -> {
      int[] at = counts[c];
      for (int i = from; i < to; i++) {
        long item = src[i];
        dst[at[(int) (item >>> shift) & MASK]++] = item;
      }
    });
    itemsTmp = src;
    items = dst;
  }

  /** Digits per call of {@link #startBlock}. */
  private static final int START_BLOCK = 512;

  /**
   * Turns each share's counts of the first {@code digits} digits into the places where its rows of each digit go
   * (digit by digit, share by share); false, and the counts left half turned, when every one of the {@code n} rows
   * has the same digit (a pass would not move anything).
   *
   * <p>The digits go through {@link #startBlock} a block at a time. This runs a few times per round, between
   * XGBoost's own calls: as one loop over 16,384 digits it was left to the interpreter for a whole 100-round
   * training (0.66 s of the main thread's CPU, async-profiler), its rare long loops never made it through the JIT's
   * queue; called many times per pass, the block is compiled like any method called often.
   */
  static boolean startPositions(int[][] counts, int digits, int n) {
    int next = 0;
    for (int from = 0; from < digits; from += START_BLOCK) {
      next = startBlock(counts, from, Math.min(digits, from + START_BLOCK), next, n);
      if (next < 0) {
        return false;
      }
    }
    return true;
  }

  /** {@link #startPositions} for digits {@code [from, to)}, the first place being {@code next}: the next, or -1. */
  private static int startBlock(int[][] counts, int from, int to, int next, int n) {
    for (int d = from; d < to; d++) {
      int start = next;
      for (int[] share : counts) {
        int k = share[d];
        share[d] = next;
        next += k;
      }
      if (next - start == n) {
        return -1;
      }
    }
    return next;
  }

  /** XGBoost's walk over the sorted rows, in its arithmetic (float products added to double sums). */
  private double walk(int n) {
    long[] sorted = items;
    int row = (int) sorted[0];
    float label = labels[row];
    float w = weight(row);
    double fp = (1.0 - label) * w;
    double tp = label * w;
    double fpPrev = 0;
    double tpPrev = 0;
    double auc = 0;
    for (int i = 1; i < n; i++) {
      if ((sorted[i] >>> 32) != (sorted[i - 1] >>> 32)) {
        auc += trapezoid(fpPrev, fp, tpPrev, tp);
        tpPrev = tp;
        fpPrev = fp;
      }
      row = (int) sorted[i];
      label = labels[row];
      w = weight(row);
      fp += (1.0f - label) * w;
      tp += label * w;
    }
    return finish(auc + trapezoid(fpPrev, fp, tpPrev, tp), fp, tp);
  }

  /** The same walk when every label is 0 or 1 and every weight 1: counts, exact in double. */
  private double walkPacked(int n) {
    long[] sorted = items;
    long positives = sorted[0] & 1;
    long negatives = 1 - positives;
    long positivesBefore = 0;
    long negativesBefore = 0;
    double auc = 0;
    long key = sorted[0] >>> 32;
    for (int i = 1; i < n; i++) {
      long item = sorted[i];
      if ((item >>> 32) != key) {
        auc += trapezoid(negativesBefore, negatives, positivesBefore, positives);
        positivesBefore = positives;
        negativesBefore = negatives;
        key = item >>> 32;
      }
      long label = item & 1;
      positives += label;
      negatives += 1 - label;
    }
    return finish(auc + trapezoid(negativesBefore, negatives, positivesBefore, positives), negatives, positives);
  }

  static double finish(double auc, double fp, double tp) {
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

  private void forEachChunk(int n, PoolShares.Share body) {
    PoolShares.run(pool, chunks, n, body);
  }
}
