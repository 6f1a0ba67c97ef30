package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimiser steps in plain Java over heap arrays, for a narrow {@code W} (see {@link StepRunner}): the same
 * arithmetic as {@link Nd4jSteps}. The weights are kept transposed, one model output's column after another, so
 * that both products run over contiguous memory: a score is a dot product of a row with a column (four rows at a
 * time, four independent sums), and the gradient adds each row, times its loss gradient, to a column (a loop the
 * JIT vectorises). Adam and RMSprop follow the update rules of ND4J's fused updater ops.
 */
final class JavaSteps implements StepRunner {
  private static final float EPS = 1e-8f;
  private static final float RMS_DECAY = 0.9f;
  private final LinearParams p;
  private final int rows;
  private final int mk;
  private final int features;
  private final boolean bias;
  /** W transposed: output c's weights at [c * rows, (c + 1) * rows); its bias last when used. */
  private final float[] w;
  private final float[] grad;
  private final float[] lr;
  private final float[] wd;
  private final float[] m;
  private final float[] v;
  private float[] z;
  private long t;

  JavaSteps(LinearParams p, float[] init, int rows, int features, boolean bias, int batch) {
    this.p = p;
    this.rows = rows;
    this.mk = init.length / rows;
    this.features = features;
    this.bias = bias;
    this.w = new float[init.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < mk; c++) {
        w[c * rows + r] = init[r * mk + c];
      }
    }
    this.grad = new float[w.length];
    this.lr = new float[mk];
    this.wd = new float[w.length];
    int k = p.outputs();
    for (int c = 0; c < mk; c++) {
      lr[c] = (float) p.learningRates()[c / k];
      double decay = p.weightDecays()[c / k];
      for (int r = 0; r < rows; r++) {
        wd[c * rows + r] = (float) (bias && r == features ? decay * p.biasWdMult() : decay);
      }
    }
    boolean moments = !p.optimizer().equals("sgd") || p.momentum() != 0;
    this.m = moments ? new float[w.length] : null;
    this.v = p.optimizer().equals("adam") ? new float[w.length] : null;
    this.z = new float[batch * mk];
  }

  @Override
  public void step(DesignMatrix data, int b) {
    int from = data.firstRowOf(b);
    int n = data.rowsIn(b);
    if (z.length < n * mk) {
      z = new float[n * mk];
    }
    float[] x = data.values();
    for (int c = 0; c < mk; c++) {
      scores(x, from, n, c);
    }
    Losses.gradient(p, z, n, data.labels(), from);
    float[] rowWeights = data.weights();
    if (rowWeights != null) {
      for (int i = 0; i < n; i++) {
        float s = rowWeights[from + i];
        for (int c = 0; c < mk; c++) {
          z[i * mk + c] *= s;
        }
      }
    }
    dataGradient(x, from, n);
    update(1f / n);
  }

  /** z[i, c] = x[from + i] · W[:, c] for the n rows. */
  private void scores(float[] x, int from, int n, int c) {
    int wc = c * rows;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int r0 = (from + i) * rows;
      int r1 = r0 + rows;
      int r2 = r1 + rows;
      int r3 = r2 + rows;
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      for (int f = 0; f < rows; f++) {
        float wf = w[wc + f];
        s0 += x[r0 + f] * wf;
        s1 += x[r1 + f] * wf;
        s2 += x[r2 + f] * wf;
        s3 += x[r3 + f] * wf;
      }
      z[i * mk + c] = s0;
      z[(i + 1) * mk + c] = s1;
      z[(i + 2) * mk + c] = s2;
      z[(i + 3) * mk + c] = s3;
    }
    for (; i < n; i++) {
      int r = (from + i) * rows;
      float s = 0;
      for (int f = 0; f < rows; f++) {
        s += x[r + f] * w[wc + f];
      }
      z[i * mk + c] = s;
    }
  }

  /**
   * grad = (X^T · G)^T, unscaled: G, the loss gradient, is in z. Four rows at a time, so that each pass over a
   * column of {@code grad} (as short as the row: 29 for 28 features) does four rows' work.
   */
  private void dataGradient(float[] x, int from, int n) {
    java.util.Arrays.fill(grad, 0f);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int r0 = (from + i) * rows;
      int r1 = r0 + rows;
      int r2 = r1 + rows;
      int r3 = r2 + rows;
      for (int c = 0; c < mk; c++) {
        float g0 = z[i * mk + c];
        float g1 = z[(i + 1) * mk + c];
        float g2 = z[(i + 2) * mk + c];
        float g3 = z[(i + 3) * mk + c];
        int gc = c * rows;
        for (int f = 0; f < rows; f++) {
          grad[gc + f] += x[r0 + f] * g0 + x[r1 + f] * g1 + x[r2 + f] * g2 + x[r3 + f] * g3;
        }
      }
    }
    for (; i < n; i++) {
      int r = (from + i) * rows;
      for (int c = 0; c < mk; c++) {
        float g = z[i * mk + c];
        int gc = c * rows;
        for (int f = 0; f < rows; f++) {
          grad[gc + f] += x[r + f] * g;
        }
      }
    }
  }

  /** Mean gradient plus weight decay (and L1 on the feature rows), then the optimiser's update of every weight. */
  private void update(float scale) {
    t++;
    float l1 = (float) p.l1();
    for (int e = 0; e < w.length; e++) {
      grad[e] = grad[e] * scale + wd[e] * w[e];
    }
    if (l1 > 0) {
      for (int c = 0; c < mk; c++) {
        for (int r = c * rows, end = r + features; r < end; r++) {
          grad[r] += l1 * Math.signum(w[r]);
        }
      }
    }
    float biasMult = (float) p.biasLrMult();
    float b1 = (float) p.beta1();
    float b2 = (float) p.beta2();
    // ND4J's adam_updater: the bias corrections folded into the step size.
    float correction = (float) (Math.sqrt(1 - Math.pow(p.beta2(), t)) / (1 - Math.pow(p.beta1(), t)));
    float momentum = (float) p.momentum();
    String optimizer = p.optimizer();
    for (int c = 0; c < mk; c++) {
      for (int r = 0; r < rows; r++) {
        int e = c * rows + r;
        float rate = bias && r == features ? lr[c] * biasMult : lr[c];
        float g = grad[e];
        switch (optimizer) {
          case "adam" -> {
            m[e] = b1 * m[e] + (1 - b1) * g;
            v[e] = b2 * v[e] + (1 - b2) * g * g;
            w[e] -= rate * correction * m[e] / ((float) Math.sqrt(v[e]) + EPS);
          }
          case "rmsprop" -> {
            m[e] = RMS_DECAY * m[e] + (1 - RMS_DECAY) * g * g;
            w[e] -= rate * g / ((float) Math.sqrt(m[e]) + EPS);
          }
          default -> {
            if (m == null) {
              w[e] -= rate * g;
            } else {
              m[e] = momentum * m[e] - rate * g;
              w[e] += m[e];
            }
          }
        }
      }
    }
  }

  @Override
  public void decay(double factor, double minimum) {
    for (int c = 0; c < mk; c++) {
      lr[c] = Math.max((float) (lr[c] * factor), (float) minimum);
    }
  }

  @Override
  public float[] weightValues() {
    return w.clone();
  }

  @Override
  public void setWeightValues(float[] values) {
    System.arraycopy(values, 0, w, 0, w.length);
  }

  @Override
  public INDArray weights() {
    float[] out = new float[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < mk; c++) {
        out[r * mk + c] = w[c * rows + r];
      }
    }
    return Nd4j.createFromArray(out).reshape(rows, mk);
  }
}
