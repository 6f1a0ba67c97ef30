package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.Shuffle;
import dev.sagebox.engine.error.UserError;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded fold assignments for repeated k-fold cross-validation, as scikit-learn's {@code RepeatedKFold} (shuffled
 * rows cut into k nearly equal folds) and {@code RepeatedStratifiedKFold} (each label value spread over the folds as
 * evenly as possible, and the folds nearly equal in size) split rows. The built-in draws them unseeded; Sagebox
 * seeds them with {@code seed}, so a run can be repeated and resumed from checkpoints.
 */
final class FoldSplits {
  private FoldSplits() {}

  /**
   * The fold (0 to k - 1) of every row, once per repetition.
   *
   * @param stratified spread each distinct label value evenly over the folds
   */
  static int[][] assign(float[] labels, int k, int repeats, boolean stratified, long seed, Consumer<String> warn) {
    int n = labels.length;
    if (k > n) {
      throw new UserError("_kfold is " + k + " but train and validation hold " + n + " row(s) together; use "
          + "_kfold between 2 and " + n);
    }
    Random random = new Random(seed);
    int[][] folds = new int[repeats][];
    int[][] classes = stratified ? byLabel(labels, k, warn) : null;
    for (int r = 0; r < repeats; r++) {
      folds[r] = stratified ? stratifiedRound(classes, n, k, random) : plainRound(n, k, random);
    }
    return folds;
  }

  /** Shuffled rows cut into k consecutive folds; the first {@code n % k} folds have one row more. */
  private static int[] plainRound(int n, int k, Random random) {
    int[] order = Shuffle.permutation(n, random);
    int[] fold = new int[n];
    int at = 0;
    for (int f = 0; f < k; f++) {
      int size = n / k + (f < n % k ? 1 : 0);
      for (int i = 0; i < size; i++) {
        fold[order[at++]] = f;
      }
    }
    return fold;
  }

  /**
   * Rows grouped by label value (ascending), shuffled within each group, then dealt to the folds in turn across
   * the groups: each value lands in every fold as evenly as possible, and fold sizes differ by one row at most.
   */
  private static int[] stratifiedRound(int[][] classes, int n, int k, Random random) {
    int[] fold = new int[n];
    int position = 0;
    for (int[] members : classes) {
      int[] order = Shuffle.permutation(members.length, random);
      for (int i : order) {
        fold[members[i]] = position++ % k;
      }
    }
    return fold;
  }

  private static int[][] byLabel(float[] labels, int k, Consumer<String> warn) {
    float[] sorted = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      sorted[i] = labels[i] + 0f; // -0 and 0 are one label
    }
    Arrays.sort(sorted);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[distinct++] = sorted[i];
      }
    }
    float[] values = Arrays.copyOf(sorted, distinct);
    int[] counts = new int[distinct];
    int[] classOf = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classOf[i] = Arrays.binarySearch(values, labels[i] + 0f);
      counts[classOf[i]]++;
    }
    int smallest = Arrays.stream(counts).min().orElse(0);
    int largest = Arrays.stream(counts).max().orElse(0);
    if (largest < k) {
      throw new UserError("_kfold is " + k + " but no label value has that many rows (the most frequent has "
          + largest + "); stratified folds need _kfold <= " + largest);
    }
    if (smallest < k) {
      warn.accept("the least frequent label value has only " + smallest + " row(s), fewer than _kfold=" + k
          + "; some folds will not contain it");
    }
    int[][] classes = new int[distinct][];
    for (int c = 0; c < distinct; c++) {
      classes[c] = new int[counts[c]];
    }
    int[] filled = new int[distinct];
    for (int i = 0; i < labels.length; i++) {
      classes[classOf[i]][filled[classOf[i]]++] = i;
    }
    return classes;
  }

  /** The rows (ascending) inside fold {@code f}, or outside it. */
  static int[] rows(int[] folds, int f, boolean inside) {
    int count = 0;
    for (int v : folds) {
      if ((v == f) == inside) {
        count++;
      }
    }
    int[] out = new int[count];
    int at = 0;
    for (int i = 0; i < folds.length; i++) {
      if ((folds[i] == f) == inside) {
        out[at++] = i;
      }
    }
    return out;
  }

  /** {@code values} at the given rows. */
  static float[] pick(float[] values, int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return out;
  }
}
