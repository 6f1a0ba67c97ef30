package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

class LogisticTransformTest {
  /**
   * Every how many float bit patterns the library comparison looks at; {@code -Dsagebox.exhaustive=true}: every one
   * (2.2 billion arguments, about a minute on 2 cores).
   */
  private static final int STRIDE = Boolean.getBoolean("sagebox.exhaustive") ? 1 : 97;

  private static IntUnaryOperator libraryExpf() {
    assumeTrue(CApiAccess.open(why -> { }).isPresent(), "the JVM runs without the foreign linker flags");
    IntUnaryOperator expf = XGBoostCApi.mathLibraryExpf();
    assumeTrue(expf != null, "no expf in the system lookup");
    return expf;
  }

  @Test
  void oneOfTheRoundingsIsThisMachinesLibrarysOnEveryArgumentLooked() {
    IntUnaryOperator expf = libraryExpf();
    Optional<LogisticTransform> matched = LogisticTransform.matching(expf, 1 << 14);
    assertThat(matched).as("a rounding that matches the C library").isPresent();
    LogisticTransform t = matched.get();
    long compared = 0;
    long differ = 0;
    int top = Float.floatToRawIntBits(LogisticTransform.CLAMP);
    int bottom = Float.floatToRawIntBits(-LogisticTransform.NEGLIGIBLE_BELOW);
    for (long b = 0; b <= top; b += STRIDE) {
      differ += expf.applyAsInt((int) b) == Float.floatToRawIntBits(t.expf(Float.intBitsToFloat((int) b))) ? 0 : 1;
      compared++;
    }
    for (long b = 0; b <= bottom; b += STRIDE) {
      int bits = (int) b | Integer.MIN_VALUE;
      differ += expf.applyAsInt(bits) == Float.floatToRawIntBits(t.expf(Float.intBitsToFloat(bits))) ? 0 : 1;
      compared++;
    }
    assertThat(differ).as("of %d arguments", compared).isZero();
  }

  @Test
  void theWrittenTableIsTwoToTheIOver32RoundedOnce() {
    assertThat(LogisticTransform.table()).containsExactly(LogisticTransform.computedTable());
  }

  @Test
  void theTellingArgumentTellsTheRoundingsApart() {
    float fused = new LogisticTransform(true).expf(LogisticTransform.TELLING_ARGUMENT);
    float plain = new LogisticTransform(false).expf(LogisticTransform.TELLING_ARGUMENT);
    assertThat(Float.floatToRawIntBits(fused)).isNotEqualTo(Float.floatToRawIntBits(plain));
    // A library that gives neither, or that differs elsewhere, is not matched: XGBoost then transforms.
    assertThat(LogisticTransform.matching(bits -> Float.floatToRawIntBits(0f), 16)).isEmpty();
    LogisticTransform reference = new LogisticTransform(true);
    IntUnaryOperator offByOne = bits -> Float.floatToRawIntBits(reference.expf(Float.intBitsToFloat(bits)))
        + (bits == Float.floatToRawIntBits(1.0f) ? 0 : (bits & 1));
    assertThat(LogisticTransform.matching(offByOne, 1 << 10)).isEmpty();
    assertThat(LogisticTransform.matching(null, 16)).isEmpty();
  }

  @Test
  void sigmoidGivesXGBoostsOwnProbabilities() throws Exception {
    Optional<LogisticTransform> t = LogisticTransform.matching(libraryExpf(), 1 << 12);
    assumeTrue(t.isPresent());
    // A booster whose one tree adds nothing (eta 0): its margins are the base margins given, so XGBoost's transform
    // can be compared on any margins chosen, the awkward ones included.
    Random r = new Random(5);
    int rows = 200_000;
    float[] margins = new float[rows];
    float[] special = {0f, -0f, 1f, -1f, 88.7f, -88.7f, Math.nextDown(-88.7f), -88.71f, -100f, 100f, 17.5f, -17.5f,
        Math.nextUp(17.5f), 16.6f, 16.7f, -LogisticTransform.TELLING_ARGUMENT, LogisticTransform.TELLING_ARGUMENT,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int i = 0; i < rows; i++) {
      margins[i] = i < special.length ? special[i]
          : i % 3 == 0 ? (float) (r.nextGaussian() * 3) : (r.nextFloat() - 0.5f) * 200f;
    }
    float[] x = new float[rows];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      x[i] = i % 7;
      y[i] = i % 2;
    }
    DMatrix m = new DMatrix(x, rows, 1, Float.NaN);
    Booster b = null;
    try {
      m.setLabel(y);
      m.setBaseMargin(margins);
      b = XGBoost.train(m, Map.of("objective", "binary:logistic", "eta", 0.0, "nthread", 2), 1, Map.of(), null,
          null);
      assertThat(FlatPredictions.margins(b, m)).as("margins are the base margins").containsExactly(margins);
      float[] own = FlatPredictions.values(b, m);
      float[] java = margins.clone();
      t.get().applyInPlace(java, rows, null);
      for (int i = 0; i < rows; i++) {
        if (Float.floatToRawIntBits(java[i]) != Float.floatToRawIntBits(own[i])) {
          assertThat(java[i]).as("margin %s (row %d)", Float.toHexString(margins[i]), i).isEqualTo(own[i]);
        }
      }
      assertThat(Arrays.equals(java, own)).isTrue();
    } finally {
      if (b != null) {
        b.dispose();
      }
      m.dispose();
    }
  }
}
