package dev.sagebox.engine.data;

import java.util.Random;

/** Seeded shuffling of row orders. */
public final class Shuffle {
  private Shuffle() {}

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates), reproducible for a given {@code random}. */
  public static int[] permutation(int n, Random random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
