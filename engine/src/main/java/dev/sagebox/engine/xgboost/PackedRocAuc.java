package dev.sagebox.engine.xgboost;

import java.util.OptionalDouble;
import java.util.concurrent.ForkJoinPool;

/**
 * {@link BinaryRocAuc} for a set whose labels are all 0 or 1 and which has no weights, from 32-bit items: the walk
 * then only counts rows, so it needs neither the row numbers nor the order of tied rows, and the sum it makes is
 * exact in double (every term a multiple of 1/2 far below 2^53), the same whatever the order of its additions.
 *
 * <p>Each row's item is its sort key's distance from the smallest key of the set, shifted left once, with the label
 * in the lowest bit. The predictions of one set lie close together (probabilities between 0.001 and 0.999 differ in
 * their last 27 bits only, all of [0, 1] in its last 30), so the items sort in two radix passes of up to 14 bits
 * where BinaryRocAuc's 64-bit items take three, with half the memory traffic. Where the keys spread wider than 31
 * bits (raw scores of both signs, beyond 2 in size), {@link #of} gives nothing and the caller sorts as before.
 *
 * <p>The walk runs on the shares of the sorted rows at once, cut where the key changes, counting in integers without
 * a branch on the key ({@link #walkShare}); the shares' sums are joined exactly.
 */
final class PackedRocAuc {
  private static final int MAX_BITS = 14;

  private final float[] labels;
  private final ForkJoinPool pool;
  private final int chunks;
  private final int[][] counts;
  private final int[] lows;
  private final int[] highs;
  private final long[] doubledAreas;
  private final long[] positives;
  private final long[] negatives;
  private int[] items;
  private int[] itemsTmp;

  /**
   * @param labels the set's labels, every one 0 or 1
   * @param chunks how many shares the rows are cut into (at most one per row), each on a thread of {@code pool}
   */
  PackedRocAuc(float[] labels, ForkJoinPool pool, int chunks) {
    this.labels = labels;
    this.pool = pool;
    this.chunks = Math.max(1, Math.min(chunks, labels.length));
    this.counts = new int[this.chunks][1 << MAX_BITS];
    this.lows = new int[this.chunks];
    this.highs = new int[this.chunks];
    this.doubledAreas = new long[this.chunks];
    this.positives = new long[this.chunks];
    this.negatives = new long[this.chunks];
    this.items = new int[labels.length];
    this.itemsTmp = new int[labels.length];
  }

  /** The AUC of {@code predictions} (at least one row), or empty where their keys spread wider than 31 bits. */
  OptionalDouble of(float[] predictions) {
    int n = labels.length;
    int[] keys = items;
    // The keys, made signed so that plain int order is BinaryRocAuc's unsigned order, and their range per share.
    forEachChunk(n, (c, from, to) -> {
      int low = Integer.MAX_VALUE;
      int high = Integer.MIN_VALUE;
      for (int i = from; i < to; i++) {
        int key = BinaryRocAuc.descendingKey(predictions[i]) ^ Integer.MIN_VALUE;
        keys[i] = key;
        low = Math.min(low, key);
        high = Math.max(high, key);
      }
      lows[c] = low;
      highs[c] = high;
    });
    int low = Integer.MAX_VALUE;
    int high = Integer.MIN_VALUE;
    for (int c = 0; c < chunks; c++) {
      low = Math.min(low, lows[c]);
      high = Math.max(high, highs[c]);
    }
    long range = (long) high - low;
    if (range >= 1L << 31) {
      return OptionalDouble.empty();
    }
    int bits = Long.SIZE - Long.numberOfLeadingZeros(range) + 1; // the key's distance, then the label
    int passes = (bits + MAX_BITS - 1) / MAX_BITS;
    int digit = (bits + passes - 1) / passes;
    int mask = (1 << digit) - 1;
    int smallest = low;
    float[] y = labels;
    forEachChunk(n, (c, from, to) -> {
      int[] h = counts[c];
      java.util.Arrays.fill(h, 0, mask + 1, 0);
      for (int i = from; i < to; i++) {
        int item = ((keys[i] - smallest) << 1) | (int) y[i];
        keys[i] = item;
        h[item & mask]++;
      }
    });
    scatter(n, 0, mask);
    for (int shift = digit; shift < bits; shift += digit) {
      count(n, shift, mask);
      scatter(n, shift, mask);
    }
    return OptionalDouble.of(walk(n));
  }

  private void count(int n, int shift, int mask) {
    int[] src = items;
    forEachChunk(n, (c, from, to) -> {
      int[] h = counts[c];
      java.util.Arrays.fill(h, 0, mask + 1, 0);
      for (int i = from; i < to; i++) {
        h[(src[i] >>> shift) & mask]++;
      }
    });
  }

  /** Moves the items to their places by the digit at {@code shift}, from each share's counts of the digits. */
  private void scatter(int n, int shift, int mask) {
    if (!BinaryRocAuc.startPositions(counts, mask + 1, n)) {
      return; // every row has this digit
    }
    int[] src = items;
    int[] dst = itemsTmp;
    forEachChunk(n, (c, from, to) -> {
      int[] at = counts[c];
      for (int i = from; i < to; i++) {
        int item = src[i];
        dst[at[(item >>> shift) & mask]++] = item;
      }
    });
    itemsTmp = src;
    items = dst;
  }

  /**
   * XGBoost's walk (a trapezoid at each change of key) over the sorted items, in shares cut where the key changes;
   * a later share's negatives are also below every positive of the shares before it.
   */
  private double walk(int n) {
    int[] sorted = items;
    int[] starts = new int[chunks + 1];
    starts[chunks] = n;
    for (int c = 1; c < chunks; c++) {
      int s = Math.max(starts[c - 1], (int) ((long) n * c / chunks));
      while (s > 0 && s < n && (sorted[s] >>> 1) == (sorted[s - 1] >>> 1)) {
        s++;
      }
      starts[c] = s;
    }
    forEachChunk(chunks, (c, from, to) -> {
      for (int share = from; share < to; share++) {
        walkShare(sorted, share, starts[share], starts[share + 1]);
      }
    });
    double auc = 0;
    long positivesBefore = 0;
    long negativesAll = 0;
    for (int c = 0; c < chunks; c++) {
      auc += doubledAreas[c] * 0.5 + (double) negatives[c] * positivesBefore;
      positivesBefore += positives[c];
      negativesAll += negatives[c];
    }
    return BinaryRocAuc.finish(auc, negativesAll, positivesBefore);
  }

  /**
   * Twice XGBoost's area over one share, counted row by row without a branch on the key: a negative row adds two
   * for each positive of a higher key and one for each positive of its own key before it; a positive row adds one
   * for each negative of its own key before it. Over a run of equal keys that is the run's trapezoid, doubled
   * (two for each pair of a higher positive and a negative, one for each tied pair).
   */
  private void walkShare(int[] sorted, int share, int from, int to) {
    long pos = 0;
    long neg = 0;
    long posAbove = 0; // positives of higher keys, and negatives: the counts where the current key began
    long negAbove = 0;
    long doubled = 0;
    int key = from < to ? sorted[from] >>> 1 : 0;
    for (int i = from; i < to; i++) {
      int item = sorted[i];
      int k = item >>> 1;
      boolean changed = k != key;
      posAbove = changed ? pos : posAbove;
      negAbove = changed ? neg : negAbove;
      key = k;
      long label = item & 1;
      doubled += label * (neg - negAbove) + (1 - label) * (pos + posAbove);
      pos += label;
      neg += 1 - label;
    }
    doubledAreas[share] = doubled;
    positives[share] = pos;
    negatives[share] = neg;
  }

  private void forEachChunk(int n, PoolShares.Share body) {
    PoolShares.run(pool, chunks, n, body);
  }
}
