package dev.sagebox.engine.xgboost;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * XGBoost's binary ROC AUC ({@link BinaryRocAuc}) where every label is 0 or 1 and no row has a weight: from counts,
 * with less sorting.
 *
 * <p>With such rows every trapezoid XGBoost adds is a whole or half number of (negative, positive) pairs, and so is
 * every partial sum, far below 2^53 for fewer than {@link #MAX_ROWS} rows: its double sum is exact in any order. It
 * is the number of pairs whose positive is predicted higher plus half the tied pairs, and the value is that over
 * {@code positives * negatives}, divided as XGBoost divides it. So each class's 32-bit sort keys are sorted on their
 * own (a parallel LSD radix sort of ints: half the bytes of a key travelling with its row number, and no need for a
 * stable order), and one merge of the two sorted runs counts the pairs.
 */
final class CountedRocAuc {
  /** Below this many rows the pair counts stay below 2^53 (at most rows^2 / 2 halves). */
  static final int MAX_ROWS = 1 << 26;
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;
  private static final int PARALLEL_ROWS = 1 << 16;

  /** Per row: 1 for a positive, 0 for a negative. */
  private final int[] positive;
  private final int positives;
  private final ForkJoinPool pool;
  private final int rowChunks;
  /** Per share of the rows: the positives in the rows before it. */
  private final int[] positivesBefore;
  private final int[][] counts;
  /** The keys of the positives in {@code [0, positives)}, then the negatives'; and the sort's second buffer. */
  private final int[] keys;
  private final int[] spare;

  /** @param labels every one 0 or 1 (see {@link #applies}) */
  CountedRocAuc(float[] labels, ForkJoinPool pool) {
    int n = labels.length;
    this.positive = new int[n];
    int p = 0;
    for (int i = 0; i < n; i++) {
      positive[i] = labels[i] == 1f ? 1 : 0;
      p += positive[i];
    }
    this.positives = p;
    this.pool = pool;
    this.rowChunks = PoolChunks.count(n, PARALLEL_ROWS, pool);
    this.positivesBefore = new int[rowChunks];
    for (int c = 1; c < rowChunks; c++) {
      int from = PoolChunks.start(0, n, c - 1, rowChunks);
      int to = PoolChunks.start(0, n, c, rowChunks);
      int inChunk = 0;
      for (int i = from; i < to; i++) {
        inChunk += positive[i];
      }
      positivesBefore[c] = positivesBefore[c - 1] + inChunk;
    }
    this.counts = new int[Math.max(1, pool == null ? 1 : pool.getParallelism())][RADIX];
    this.keys = new int[n];
    this.spare = new int[n];
  }

  /** Whether these labels and weights can be counted here: all labels 0 or 1, no weights, not too many rows. */
  static boolean applies(float[] labels, float[] weights) {
    if ((weights != null && weights.length > 0) || labels.length >= MAX_ROWS) {
      return false;
    }
    for (float l : labels) {
      if (l != 0f && l != 1f) {
        return false;
      }
    }
    return true;
  }

  /** The AUC of {@code predictions} (one per row). */
  double of(float[] predictions) {
    int n = positive.length;
    int[] out = keys;
    int p0 = positives;
    PoolChunks.run(pool, rowChunks, 0, n, (c, from, to) -> {
      // Without a branch on the label (as unpredictable as the data): the key goes to the next place of its class.
      int p = positivesBefore[c];
      int q = p0 + from - p;
      for (int i = from; i < to; i++) {
        int isPositive = positive[i];
        out[q + ((p - q) & -isPositive)] = BinaryRocAuc.descendingKey(predictions[i]);
        p += isPositive;
        q += 1 - isPositive;
      }
    });
    int[] sortedPositives = sort(0, p0);
    int[] sortedNegatives = sort(p0, n);
    long twiceArea = 0;
    int i = 0;
    for (int j = p0; j < n; ) {
      int key = sortedNegatives[j];
      int signedKey = key ^ Integer.MIN_VALUE;
      while (i < p0 && (sortedPositives[i] ^ Integer.MIN_VALUE) < signedKey) {
        i++;
      }
      int tied = i;
      while (tied < p0 && sortedPositives[tied] == key) {
        tied++;
      }
      int run = j + 1;
      while (run < n && sortedNegatives[run] == key) {
        run++;
      }
      twiceArea += (long) (run - j) * (2L * i + (tied - i));
      j = run;
    }
    double negatives = n - p0;
    if (negatives <= 0 || p0 <= 0) {
      return Double.NaN;
    }
    return twiceArea * 0.5 / (negatives * p0);
  }

  /** Sorts the keys in {@code [from, to)} ascending (unsigned); answers the buffer that then holds them. */
  private int[] sort(int from, int to) {
    int chunks = PoolChunks.count(to - from, PARALLEL_ROWS, pool);
    int[] src = keys;
    int[] dst = spare;
    for (int shift = 0; shift < Integer.SIZE; shift += BITS) {
      final int sh = shift;
      final int[] s = src;
      PoolChunks.run(pool, chunks, from, to, (c, a, b) -> {
        int[] h = counts[c];
        Arrays.fill(h, 0);
        for (int i = a; i < b; i++) {
          h[(s[i] >>> sh) & MASK]++;
        }
      });
      if (!placeBuckets(chunks, from, to)) {
        continue; // every key has this digit: the pass would not move anything
      }
      final int[] d = dst;
      PoolChunks.run(pool, chunks, from, to, (c, a, b) -> {
        int[] at = counts[c];
        for (int i = a; i < b; i++) {
          int k = s[i];
          d[at[(k >>> sh) & MASK]++] = k;
        }
      });
      dst = src;
      src = d;
    }
    return src;
  }

  /**
   * Turns each share's digit counts into its first place per digit; false (counts left half-turned) when one digit
   * holds all the keys.
   */
  private boolean placeBuckets(int chunks, int from, int to) {
    int next = from;
    for (int d = 0; d < RADIX; d++) {
      int start = next;
      for (int c = 0; c < chunks; c++) {
        int k = counts[c][d];
        counts[c][d] = next;
        next += k;
      }
      if (next - start == to - from) {
        return false;
      }
    }
    return true;
  }
}
