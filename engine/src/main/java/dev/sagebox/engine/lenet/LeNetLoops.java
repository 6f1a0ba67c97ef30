package dev.sagebox.engine.lenet;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The Java loops of {@link LeNetTrainingStep}, between its matrix products: im2col and its adjoint for NHWC
 * activations, 2x2 max-pooling with its argmax and the scatter back, bias and ReLU, softmax cross-entropy, and the
 * fused Adam step. The image loops work on images from..to of a batch, so that a step can split them over threads.
 */
final class LeNetLoops {
  static final int K = LeNetWeights.KERNEL;
  static final int SIDE = Images.SIDE;
  /** The first convolution's output side: 28 - 4. */
  static final int S1 = SIDE - K + 1;
  /** The first pooling's output side: 24 / 2. */
  static final int P1 = S1 / 2;
  /** The second convolution's output side: 12 - 4. */
  static final int S2 = P1 - K + 1;
  /** The second pooling's output side: 8 / 2. */
  static final int P2 = S2 / 2;

  private LeNetLoops() {}

  /**
   * Images from..to of [n, 28, 28] pixels to rows (image, y, x) of the 5x5 window (ky, kx), the order of conv1_w's
   * [5, 5, 1, c1].
   */
  static void im2col1(float[] x, float[] cols, int from, int to) {
    int o = from * S1 * S1 * K * K;
    for (int img = from; img < to; img++) {
      int base = img * Images.SIZE;
      for (int oy = 0; oy < S1; oy++) {
        for (int ox = 0; ox < S1; ox++) {
          for (int ky = 0; ky < K; ky++) {
            int at = base + (oy + ky) * SIDE + ox;
            cols[o] = x[at];
            cols[o + 1] = x[at + 1];
            cols[o + 2] = x[at + 2];
            cols[o + 3] = x[at + 3];
            cols[o + 4] = x[at + 4];
            o += K;
          }
        }
      }
    }
  }

  /**
   * Images from..to of NHWC [n, 12, 12, c1] to rows (image, y, x) of the window (ky, kx, channel), the order of
   * conv2_w's [5, 5, c1, c2]: for each ky the five columns' channels are one contiguous run in both arrays. Written
   * straight into the native matrix.
   */
  static void im2col2(float[] a, FloatBuffer cols, int c1, int from, int to) {
    int run = K * c1;
    int o = from * S2 * S2 * K * run;
    for (int img = from; img < to; img++) {
      for (int oy = 0; oy < S2; oy++) {
        for (int ox = 0; ox < S2; ox++) {
          for (int ky = 0; ky < K; ky++) {
            cols.put(o, a, ((img * P1 + oy + ky) * P1 + ox) * c1, run);
            o += run;
          }
        }
      }
    }
  }

  /** The adjoint of {@link #im2col2}: window gradients summed back onto [n, 12, 12, c1] (overwritten), per image. */
  static void col2im2(FloatBuffer cols, float[] a, int c1, int from, int to) {
    Arrays.fill(a, from * P1 * P1 * c1, to * P1 * P1 * c1, 0f);
    int run = K * c1;
    float[] window = new float[run];
    int o = from * S2 * S2 * K * run;
    for (int img = from; img < to; img++) {
      for (int oy = 0; oy < S2; oy++) {
        for (int ox = 0; ox < S2; ox++) {
          for (int ky = 0; ky < K; ky++) {
            int at = ((img * P1 + oy + ky) * P1 + ox) * c1;
            cols.get(o, window, 0, run);
            for (int j = 0; j < run; j++) {
              a[at + j] += window[j];
            }
            o += run;
          }
        }
      }
    }
  }

  /**
   * 2x2 max-pooling, stride 2, of NHWC [n, side, side, ch], then bias and ReLU: {@code out} [n, side/2, side/2, ch];
   * {@code arg} keeps each window's argmax (an index into {@code y}; the first of equal values, row-major).
   */
  static void pool(float[] y, int side, int ch, float[] bias, float[] out, int[] arg, int from, int to) {
    int half = side / 2;
    int o = from * half * half * ch;
    for (int img = from; img < to; img++) {
      for (int py = 0; py < half; py++) {
        for (int px = 0; px < half; px++) {
          int p00 = ((img * side + 2 * py) * side + 2 * px) * ch;
          int p01 = p00 + ch;
          int p10 = p00 + side * ch;
          int p11 = p10 + ch;
          for (int c = 0; c < ch; c++) {
            int best = p00 + c;
            float m = y[best];
            if (y[p01 + c] > m) {
              best = p01 + c;
              m = y[best];
            }
            if (y[p10 + c] > m) {
              best = p10 + c;
              m = y[best];
            }
            if (y[p11 + c] > m) {
              best = p11 + c;
              m = y[best];
            }
            arg[o] = best;
            out[o] = Math.max(0f, m + bias[c]);
            o++;
          }
        }
      }
    }
  }

  /**
   * Gradients of images {@code from}..{@code to}'s pooled outputs ({@code pooled} values per image) onto their
   * windows' argmax ({@code dy}, {@code window} values per image, overwritten: zero elsewhere).
   */
  static void scatter(float[] dPooled, int[] arg, float[] dy, int from, int to, int pooled, int window) {
    Arrays.fill(dy, from * window, to * window, 0f);
    for (int i = from * pooled; i < to * pooled; i++) {
      dy[arg[i]] = dPooled[i];
    }
  }

  static void biasRelu(float[] h, float[] bias) {
    int cols = bias.length;
    for (int i = 0; i < h.length; i++) {
      h[i] = Math.max(0f, h[i] + bias[i % cols]);
    }
  }

  /** Zeroes the gradient where the ReLU's output was 0. */
  static void reluBackward(float[] grad, float[] out) {
    reluBackward(grad, out, 0, grad.length);
  }

  static void reluBackward(float[] grad, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      if (out[i] <= 0f) {
        grad[i] = 0f;
      }
    }
  }

  /**
   * Softmax of {@code logits + bias}, the mean cross-entropy against {@code oneHot}, and its gradient with respect to
   * the logits, (softmax - label) / n, into {@code dLogits}.
   */
  static double softmaxCrossEntropy(float[] logits, float[] bias, float[] oneHot, float[] dLogits, int n) {
    int k = Images.CLASSES;
    double sum = 0;
    for (int r = 0; r < n; r++) {
      int o = r * k;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        logits[o + c] += bias[c];
        max = Math.max(max, logits[o + c]);
      }
      double z = 0;
      for (int c = 0; c < k; c++) {
        z += Math.exp(logits[o + c] - max);
      }
      double logZ = max + Math.log(z);
      for (int c = 0; c < k; c++) {
        sum += oneHot[o + c] * (logZ - logits[o + c]);
        dLogits[o + c] = (float) ((Math.exp(logits[o + c] - logZ) - oneHot[o + c]) / n);
      }
    }
    return sum / n;
  }

  /**
   * ND4J's Adam step (libnd4j's {@code adam_updater}: the same float arithmetic and bias correction) fused with the
   * parameter update, on the optimiser state SameDiff keeps for the parameter (its "M" and "V" arrays), in place.
   */
  static void adamStep(Adam adam, double lr, int iteration, FloatBuffer g, FloatBuffer m, FloatBuffer v,
      FloatBuffer p, int length) {
    float beta1 = (float) adam.getBeta1();
    float beta2 = (float) adam.getBeta2();
    float epsilon = (float) adam.getEpsilon();
    float t = (float) iteration + 1;
    float beta1T = (float) Math.pow(beta1, t);
    float beta2T = (float) Math.pow(beta2, t);
    float alpha = (float) ((float) lr * (float) Math.sqrt(1.0 - beta2T) / (1.0 - beta1T));
    if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f) {
      alpha = epsilon;
    }
    float oneMinusBeta1 = 1 - beta1;
    float oneMinusBeta2 = 1 - beta2;
    for (int i = 0; i < length; i++) {
      float gi = g.get(i);
      float mi = beta1 * m.get(i) + gi * oneMinusBeta1;
      float vi = beta2 * v.get(i) + gi * gi * oneMinusBeta2;
      m.put(i, mi);
      v.put(i, vi);
      p.put(i, p.get(i) - mi * alpha / ((float) Math.sqrt(vi) + epsilon));
    }
  }
}
