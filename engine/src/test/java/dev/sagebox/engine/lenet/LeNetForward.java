package dev.sagebox.engine.lenet;

/**
 * A plain-Java LeNet forward pass over {@link LeNetWeights}, written straight from the layout's definition and with
 * no framework: the yardstick that SameDiff's network and the ONNX export are both checked against.
 */
final class LeNetForward {
  private LeNetForward() {}

  /** Class probabilities [n, 10] of {@code n} images of 784 pixels already scaled to 0-1. */
  static float[] probabilities(LeNetWeights w, float[] images, int n) {
    float[] out = new float[n * Images.CLASSES];
    for (int i = 0; i < n; i++) {
      float[] img = java.util.Arrays.copyOfRange(images, i * Images.SIZE, (i + 1) * Images.SIZE);
      float[] a = pool(relu(conv(img, 1, Images.SIDE, w.conv1W(), w.conv1B(), w.conv1())), w.conv1(), 24);
      float[] b = pool(relu(conv(a, w.conv1(), 12, w.conv2W(), w.conv2B(), w.conv2())), w.conv2(), 8);
      float[] h = relu(dense(b, w.denseW(), w.denseB(), w.flattened(), w.dense()));
      float[] z = dense(h, w.outW(), w.outB(), w.dense(), Images.CLASSES);
      double max = Double.NEGATIVE_INFINITY;
      for (float v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      double[] e = new double[z.length];
      for (int c = 0; c < z.length; c++) {
        e[c] = Math.exp(z[c] - max);
        sum += e[c];
      }
      for (int c = 0; c < z.length; c++) {
        out[i * Images.CLASSES + c] = (float) (e[c] / sum);
      }
    }
    return out;
  }

  /** Valid 5x5 convolution, stride 1: [inC, side, side] -> [outC, side-4, side-4]. */
  private static float[] conv(float[] x, int inC, int side, float[] w, float[] b, int outC) {
    int k = LeNetWeights.KERNEL;
    int o = side - k + 1;
    float[] y = new float[outC * o * o];
    for (int oc = 0; oc < outC; oc++) {
      for (int r = 0; r < o; r++) {
        for (int c = 0; c < o; c++) {
          double s = b[oc];
          for (int ic = 0; ic < inC; ic++) {
            for (int kr = 0; kr < k; kr++) {
              for (int kc = 0; kc < k; kc++) {
                s += (double) w[((oc * inC + ic) * k + kr) * k + kc] * x[(ic * side + r + kr) * side + c + kc];
              }
            }
          }
          y[(oc * o + r) * o + c] = (float) s;
        }
      }
    }
    return y;
  }

  /** 2x2 max-pooling, stride 2: [ch, side, side] -> [ch, side/2, side/2]. */
  private static float[] pool(float[] x, int ch, int side) {
    int h = side / 2;
    float[] y = new float[ch * h * h];
    for (int c = 0; c < ch; c++) {
      for (int r = 0; r < h; r++) {
        for (int q = 0; q < h; q++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int dr = 0; dr < 2; dr++) {
            for (int dq = 0; dq < 2; dq++) {
              m = Math.max(m, x[(c * side + 2 * r + dr) * side + 2 * q + dq]);
            }
          }
          y[(c * h + r) * h + q] = m;
        }
      }
    }
    return y;
  }

  /** x [in] times w [in, out] plus b [out]. */
  private static float[] dense(float[] x, float[] w, float[] b, int in, int out) {
    float[] y = new float[out];
    for (int j = 0; j < out; j++) {
      double s = b[j];
      for (int i = 0; i < in; i++) {
        s += (double) x[i] * w[i * out + j];
      }
      y[j] = (float) s;
    }
    return y;
  }

  private static float[] relu(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(0f, x[i]);
    }
    return x;
  }
}
