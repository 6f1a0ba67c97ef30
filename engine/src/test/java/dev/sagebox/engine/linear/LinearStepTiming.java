package dev.sagebox.engine.linear;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A/B timing (not JMH: one JVM, the two step runners interleaved round by round) of the linear learner's optimiser
 * step: {@link JavaSteps} against {@link Nd4jSteps} on 100,000 rows of 28 features (plus the bias column),
 * mini-batches of 1,000, logistic loss, Adam, for several model counts. Prints the median microseconds per step
 * of each. Run by hand: {@code java -cp engine/target/classes:engine/target/test-classes:<class path>
 * dev.sagebox.engine.linear.LinearStepTiming [rounds]}.
 */
final class LinearStepTiming {
  private LinearStepTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int n = 100_000;
    int d = 28;
    Random r = new Random(1);
    float[] x = new float[n * d];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) r.nextGaussian();
        s += x[i * d + j] * ((j % 3) - 1);
      }
      y[i] = s + r.nextGaussian() > 0 ? 1 : 0;
    }
    LinearTrainer.Rows rows = new LinearTrainer.Rows(x, n, d, y, null);
    for (int models : new int[] {1, 4, 8, 16, 32, 64}) {
      Map<String, String> hp = new HashMap<>(Map.of("predictor_type", "binary_classifier",
          "num_models", Integer.toString(models)));
      LinearParams p = LinearParams.parse(hp, w -> { });
      DesignMatrix data = DesignMatrix.of(rows, null, Scaler.identity(d), true, 0f, 1f, null, 1000, 2);
      float[] init = new float[(d + 1) * models];
      double[] java = new double[rounds];
      double[] nd4j = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        java[round] = microsPerStep(new JavaSteps(p, init, d + 1, d, true, 1000), data);
        nd4j[round] = microsPerStep(new Nd4jSteps(p, init, d + 1, d, true, 1000), data);
      }
      Arrays.sort(java);
      Arrays.sort(nd4j);
      System.out.printf(Locale.ROOT, "models %3d   Java %8.1f us/step (%.1f-%.1f)   ND4J %8.1f us/step (%.1f-%.1f)%n",
          models, java[rounds / 2], java[0], java[rounds - 1], nd4j[rounds / 2], nd4j[0], nd4j[rounds - 1]);
    }
  }

  /** One pass over all batches; the mean time per step. */
  private static double microsPerStep(StepRunner steps, DesignMatrix data) {
    long t0 = System.nanoTime();
    for (int b = 0; b < data.batches(); b++) {
      steps.step(data, b);
    }
    return (System.nanoTime() - t0) / 1e3 / data.batches();
  }
}
