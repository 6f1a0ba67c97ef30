package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The radix sort's start positions (digit by digit, share by share), worked out a block of digits at a time: the
 * same places as one plain loop over all digits, for one to three shares and digit counts on and off the block
 * size, and false when one digit holds every row.
 */
class RadixStartPositionsTest {
  /** The plain loop the blocks stand for: the places, or null when one digit holds all {@code n} rows. */
  private static int[][] expected(int[][] counts, int digits, int n) {
    int[][] places = new int[counts.length][];
    for (int s = 0; s < counts.length; s++) {
      places[s] = counts[s].clone();
    }
    int next = 0;
    for (int d = 0; d < digits; d++) {
      int start = next;
      for (int[] share : places) {
        int k = share[d];
        share[d] = next;
        next += k;
      }
      if (next - start == n) {
        return null;
      }
    }
    return places;
  }

  private static int[][] randomCounts(Random r, int shares, int digits) {
    int[][] counts = new int[shares][digits];
    for (int[] share : counts) {
      for (int d = 0; d < digits; d++) {
        share[d] = r.nextInt(4) == 0 ? r.nextInt(50) : 0;
      }
    }
    return counts;
  }

  private static int total(int[][] counts) {
    int n = 0;
    for (int[] share : counts) {
      for (int k : share) {
        n += k;
      }
    }
    return n;
  }

  @Test
  void placesAreThoseOfOnePlainLoopOverAllDigits() {
    Random r = new Random(7);
    for (int shares = 1; shares <= 3; shares++) {
      for (int digits : new int[] {1, 511, 512, 513, 2048, 16_384, 16_385}) {
        int[][] counts = randomCounts(r, shares, digits);
        counts[0][digits - 1] += 1; // at least one row
        if (digits > 1) {
          counts[shares - 1][0] += 1; // and two digits, so a pass moves rows
        }
        int n = total(counts);
        int[][] want = expected(counts, digits, n);
        boolean moves = BinaryRocAuc.startPositions(counts, digits, n);
        assertThat(moves).as("%d share(s), %d digits", shares, digits).isEqualTo(want != null);
        if (want != null) {
          assertThat(counts).as("%d share(s), %d digits", shares, digits).isDeepEqualTo(want);
        }
      }
    }
  }

  @Test
  void oneDigitHoldingEveryRowSaysThePassWouldMoveNothing() {
    for (int shares = 1; shares <= 3; shares++) {
      for (int digit : new int[] {0, 511, 512, 9_000, 16_383}) {
        int[][] counts = new int[shares][16_384];
        for (int[] share : counts) {
          share[digit] = 1_000;
        }
        assertThat(BinaryRocAuc.startPositions(counts, 16_384, 1_000 * shares))
            .as("%d share(s), every row at digit %d", shares, digit).isFalse();
      }
    }
  }
}
