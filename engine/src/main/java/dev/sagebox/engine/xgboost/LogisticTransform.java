package dev.sagebox.engine.xgboost;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntUnaryOperator;

/**
 * XGBoost's logistic transform ({@code binary:logistic}, {@code reg:logistic}: margin to probability) computed in
 * Java with exactly XGBoost's bits, so that per-round metrics can take the margins from XGBoost's prediction cache
 * (a copy) instead of having XGBoost transform a million values per round on a path that costs about three times
 * the copy.
 *
 * <p>XGBoost (libxgboost4j.so, 3.4.0, read from its machine code) computes, in single precision,
 * {@code 1 / ((expf(x < -88.7 ? 88.7 : -x) + 1) + 1e-16)} with the C library's {@code expf}. glibc's {@code expf}
 * (2.27 and later) reduces the argument to {@code k/32 + r} in double precision, takes {@code 2^(k/32)} from a
 * 32-entry table and {@code 2^(r/32)} from a cubic, and rounds the double result to float; its FMA build fuses the
 * reduction and the cubic's steps, its plain build does not. That algorithm is reproduced here in both roundings,
 * and {@link #matching} picks the one that gives this machine's library's bits: the two differ on one input in the
 * range that matters ({@code 0x1.04845ep5}), which is probed, with a spread of others (a cold JVM takes ~0.1–0.2 s
 * for that, so {@code RoundMetrics} does it on another thread while the first round trains). An exhaustive
 * comparison of every float in that range ({@code LogisticTransformTest}, long mode) found no difference.
 *
 * <p>Below an argument of -17.5 the exponential is under 2^-24 and {@code 1 + e} rounds to 1, so it is not computed.
 */
final class LogisticTransform {
  private static final int TABLE_BITS = 5;
  private static final int N = 1 << TABLE_BITS;
  private static final double INV_LN2_N = 0x1.71547652b82fep+0 * N;
  private static final double SHIFT = 0x1.8p+52;
  private static final double C0 = 0x1.c6af84b912394p-5 / N / N / N;
  private static final double C1 = 0x1.ebfce50fac4f3p-3 / N / N;
  private static final double C2 = 0x1.62e42ff0c52d6p-1 / N;
  /**
   * Bits of 2^(i/32) (nearest double) less i in the exponent's place: adding {@code k << 47} gives 2^(k/32).
   * Written out (as {@link #computedTable} makes them, which a test checks) to spare each training the computation.
   */
  private static final long[] TABLE = {
      0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
      0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
      0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
      0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
      0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
      0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
      0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
      0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L};
  /** The argument at which the fused and the plain rounding give different floats. */
  static final float TELLING_ARGUMENT = 0x1.04845ep5f;
  /** Arguments below this: {@code 1 + expf(argument)} is 1 in float. */
  static final float NEGLIGIBLE_BELOW = -17.5f;
  static final float CLAMP = 88.7f;
  private static final float EPSILON = 1e-16f;
  private static final int PARALLEL_ROWS = 1 << 16;

  private final boolean fused;

  LogisticTransform(boolean fused) {
    this.fused = fused;
  }

  /**
   * The transform whose {@code expf} gives the bits of {@code libraryExpf} (float bits in, float bits out) on the
   * telling argument and on {@code samples} others spread over the range, or empty when neither rounding does.
   */
  static Optional<LogisticTransform> matching(IntUnaryOperator libraryExpf, int samples) {
    if (libraryExpf == null) {
      return Optional.empty();
    }
    int telling = libraryExpf.applyAsInt(Float.floatToRawIntBits(TELLING_ARGUMENT));
    LogisticTransform candidate = null;
    for (LogisticTransform t : List.of(new LogisticTransform(true), new LogisticTransform(false))) {
      if (Float.floatToRawIntBits(t.expf(TELLING_ARGUMENT)) == telling) {
        candidate = t;
        break;
      }
    }
    if (candidate == null) {
      return Optional.empty();
    }
    int top = Float.floatToRawIntBits(CLAMP);
    int bottom = Float.floatToRawIntBits(-NEGLIGIBLE_BELOW);
    for (int i = 0; i < samples; i++) {
      // Alternately positive and negative arguments, their bit patterns evenly spread (so every binade is visited).
      int bits = i % 2 == 0 ? (int) ((long) top * i / samples)
          : (int) ((long) bottom * i / samples) | Integer.MIN_VALUE;
      float x = Float.intBitsToFloat(bits);
      if (libraryExpf.applyAsInt(bits) != Float.floatToRawIntBits(candidate.expf(x))) {
        return Optional.empty();
      }
    }
    return Optional.of(candidate);
  }

  /** XGBoost's probability for {@code margin}. */
  float sigmoid(float margin) {
    float argument = margin < -CLAMP ? CLAMP : -margin;
    float e = argument < NEGLIGIBLE_BELOW ? 0f : expf(argument);
    return 1.0f / ((e + 1.0f) + EPSILON);
  }

  /** Replaces each of the first {@code n} margins of {@code values} by its probability, on the pool's threads. */
  void applyInPlace(float[] values, int n, ForkJoinPool pool) {
    PoolShares.run(pool, PoolShares.count(n, PARALLEL_ROWS, pool), n, (share, from, to) -> {
      for (int i = from; i < to; i++) {
        values[i] = sigmoid(values[i]);
      }
    });
  }

  /** glibc's {@code expf} for arguments up to {@link #CLAMP} (no overflow or underflow handling needed below it). */
  float expf(float x) {
    double xd = x;
    double z = INV_LN2_N * xd;
    double kd = fused ? Math.fma(INV_LN2_N, xd, SHIFT) : z + SHIFT;
    long ki = Double.doubleToRawLongBits(kd);
    kd -= SHIFT;
    double r = fused ? Math.fma(INV_LN2_N, xd, -kd) : z - kd;
    double s = Double.longBitsToDouble(TABLE[(int) (ki & (N - 1))] + (ki << (52 - TABLE_BITS)));
    double r2 = r * r;
    double y;
    if (fused) {
      y = Math.fma(Math.fma(C0, r, C1), r2, Math.fma(C2, r, 1));
    } else {
      y = (C0 * r + C1) * r2 + (C2 * r + 1);
    }
    return (float) (y * s);
  }

  /** A copy of the table's entries (for the test that recomputes them). */
  static long[] table() {
    return TABLE.clone();
  }

  /** The table's entries from first principles: each 2^(i/32) to 60 digits, then rounded to the nearest double. */
  static long[] computedTable() {
    MathContext mc = new MathContext(60);
    long[] t = new long[N];
    for (int i = 0; i < N; i++) {
      // 2^(i/32) as the root of y^32 = 2^i, by Newton's method far beyond double precision, then rounded once.
      BigDecimal target = new BigDecimal(BigInteger.ONE.shiftLeft(i));
      BigDecimal y = new BigDecimal(Math.pow(2, i / (double) N));
      for (int step = 0; step < 6; step++) {
        BigDecimal y31 = y.pow(N - 1, mc);
        y = y.subtract(y.multiply(y31, mc).subtract(target, mc).divide(y31.multiply(BigDecimal.valueOf(N), mc), mc),
            mc);
      }
      t[i] = Double.doubleToRawLongBits(y.doubleValue()) - ((long) i << (52 - TABLE_BITS));
    }
    return t;
  }
}
