package dev.sagebox.engine.model;

/** Turning raw scores into probabilities, shared by the algorithms' predictors. */
public final class Probabilities {
  private Probabilities() {}

  /** Softmax of one row of scores (numerically stable: the maximum is subtracted first). */
  public static float[] softmax(float[] z) {
    float max = z[0];
    for (float v : z) {
      max = Math.max(max, v);
    }
    float[] out = new float[z.length];
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      out[i] = (float) Math.exp(z[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < z.length; i++) {
      out[i] = (float) (out[i] / sum);
    }
    return out;
  }
}
