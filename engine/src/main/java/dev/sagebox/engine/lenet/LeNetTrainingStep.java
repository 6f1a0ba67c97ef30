package dev.sagebox.engine.lenet;

import java.lang.reflect.Method;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * One LeNet training step computed directly instead of through a SameDiff session: each convolution is an im2col
 * (a Java loop into a reused buffer) and one matrix product through ND4J ({@code Nd4j.gemm}), forward and backward;
 * max-pooling records each window's argmax in the forward pass so its backward pass is a scatter; bias and ReLU are
 * applied after pooling (the same values: both are monotone per channel). The step reads and writes the
 * {@link LeNetGraph}'s own parameter arrays and applies SameDiff's own optimiser (the graph's {@code GradientUpdater}s,
 * regularisation and iteration count, in SameDiff's order), so checkpoints, resume and inference through the graph
 * see exactly what SameDiff's {@code fit} would have left. Activations are NHWC throughout, which makes the graph's
 * YXIO convolution weights and H-W-C dense rows the im2col products' matrices as they are. Adam without weight decay
 * (the default) is one fused pass over gradient, state and parameter ({@link #adamStep}). The Java loops between the
 * products are split by image over ND4J's thread count.
 *
 * <p>Why: on this AVX2 machine SameDiff's oneDNN path spends its time reordering NHWC arrays to oneDNN's blocked layout
 * and back around every convolution, re-running the forward pooling in {@code maxpool2d_bp}, and in the session's own
 * bookkeeping (benchmarks/RESULTS.md, "LeNet on SameDiff"). Buffers are per batch size and reused; not thread-safe.
 */
final class LeNetTrainingStep {
  private static final int K = LeNetWeights.KERNEL;
  private static final int SIDE = Images.SIDE;
  /** 28 - 4 */
  private static final int S1 = SIDE - K + 1;
  /** 24 / 2 */
  private static final int P1 = S1 / 2;
  /** 12 - 4 */
  private static final int S2 = P1 - K + 1;
  /** 8 / 2 */
  private static final int P2 = S2 / 2;
  private static final String[] PARAMS = {LeNetGraph.CONV1_W, LeNetGraph.CONV1_B, LeNetGraph.CONV2_W,
      LeNetGraph.CONV2_B, LeNetGraph.DENSE_W, LeNetGraph.DENSE_B, LeNetGraph.OUT_W, LeNetGraph.OUT_B};

  private final SameDiff sd;
  private final int c1;
  private final int c2;
  private final int dense;
  private final int flat;
  /** The graph's parameters, in {@link #PARAMS} order, and their gradients (same shapes). */
  private final INDArray[] params = new INDArray[PARAMS.length];
  private final INDArray[] grads = new INDArray[PARAMS.length];
  /** Convolution weights as the im2col products' matrices: [25, c1] and [25 * c1, c2] views. */
  private final INDArray w1m;
  private final INDArray w2m;
  private final INDArray g1m;
  private final INDArray g2m;
  private final float[] b1;
  private final float[] b2;
  private final float[] bd;
  private final float[] bo;
  private Buffers buffers;
  /** Nanoseconds per {@link Section} over all steps so far, when timing is on (for the speed probe). */
  private final long[] sectionNanos = new long[Section.values().length];
  private boolean timed;
  private long mark;

  /** Where a step's time goes (see {@link #sectionMillis}). */
  enum Section { IM2COL_1, GEMM_CONV1, POOL_1, IM2COL_2, GEMM_CONV2, POOL_2, DENSE_FORWARD, LOSS, DENSE_BACKWARD,
    GEMM_CONV2_BACKWARD, COL2IM_POOL1_BACKWARD, GEMM_CONV1_BACKWARD, UPDATER, SUBTRACT }

  /** Threads for the Java loops: ND4J's own thread count (OMP_NUM_THREADS, else the cores). */
  private final int threads;
  private final java.util.concurrent.ExecutorService workers;

  LeNetTrainingStep(SameDiff sd) {
    this(sd, Nd4j.getEnvironment().maxThreads());
  }

  LeNetTrainingStep(SameDiff sd, int threads) {
    this.sd = sd;
    this.threads = Math.max(1, threads);
    this.workers = this.threads == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(this.threads - 1,
        r -> {
          Thread t = new Thread(r, "lenet-step");
          t.setDaemon(true);
          return t;
        });
    initializeOptimiser(sd);
    for (int i = 0; i < PARAMS.length; i++) {
      INDArray p = sd.getArrForVarName(PARAMS[i]);
      if (p.isView() || p.ordering() != 'c' || p.dataType() != DataType.FLOAT) {
        p = p.dup('c').castTo(DataType.FLOAT);
        sd.associateArrayWithVariable(p, PARAMS[i]);
      }
      params[i] = p;
      grads[i] = Nd4j.createUninitialized(DataType.FLOAT, p.shape());
    }
    c1 = (int) params[0].size(3);
    c2 = (int) params[2].size(3);
    dense = (int) params[4].size(1);
    flat = c2 * P2 * P2;
    w1m = params[0].reshape('c', K * K, c1);
    w2m = params[2].reshape('c', K * K * c1, c2);
    g1m = grads[0].reshape('c', K * K, c1);
    g2m = grads[2].reshape('c', K * K * c1, c2);
    b1 = new float[c1];
    b2 = new float[c2];
    bd = new float[dense];
    bo = new float[Images.CLASSES];
  }

  /**
   * Creates the graph's optimiser state as SameDiff's first {@code fit} would (a no-op when a checkpoint brought it).
   * {@code SameDiff.initializeTraining} is protected in ND4J 1.0.0-M2.1 and nothing public creates the state without
   * also running a training iteration.
   */
  private static void initializeOptimiser(SameDiff sd) {
    if (sd.getTrainingConfig() == null) {
      throw new IllegalStateException("the graph has no training configuration");
    }
    if (sd.getUpdaterMap() != null && !sd.getUpdaterMap().isEmpty()) {
      return;
    }
    try {
      Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
      init.setAccessible(true);
      init.invoke(sd);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot initialise SameDiff's optimiser state", e);
    }
  }

  /** Arrays for one batch size: native ones for the matrix products, Java ones for the loops between them. */
  private final class Buffers {
    final int n;
    final INDArray cols1;
    final INDArray y1;
    final INDArray cols2;
    final INDArray y2;
    final INDArray flatIn;
    final INDArray hidden;
    final INDArray logits;
    final INDArray dLogits;
    final INDArray dHidden;
    final INDArray dFlat;
    final INDArray dY2;
    final INDArray dCols2;
    final INDArray dY1;
    final float[] cols1J;
    final float[] y1J;
    final int[] arg1;
    final float[] a1;
    final float[] y2J;
    final int[] arg2;
    final float[] a2;
    final float[] hiddenJ;
    final float[] logitsJ;
    final float[] dLogitsJ;
    final float[] dHiddenJ;
    final float[] dFlatJ;
    final float[] dY2J;
    final float[] dA1;
    final float[] dY1J;

    Buffers(int n) {
      this.n = n;
      int rows1 = n * S1 * S1;
      int rows2 = n * S2 * S2;
      int k2 = K * K * c1;
      cols1 = matrix(rows1, K * K);
      y1 = matrix(rows1, c1);
      cols2 = matrix(rows2, k2);
      y2 = matrix(rows2, c2);
      flatIn = matrix(n, flat);
      hidden = matrix(n, dense);
      logits = matrix(n, Images.CLASSES);
      dLogits = matrix(n, Images.CLASSES);
      dHidden = matrix(n, dense);
      dFlat = matrix(n, flat);
      dY2 = matrix(rows2, c2);
      dCols2 = matrix(rows2, k2);
      dY1 = matrix(rows1, c1);
      cols1J = new float[rows1 * K * K];
      y1J = new float[rows1 * c1];
      arg1 = new int[n * P1 * P1 * c1];
      a1 = new float[arg1.length];
      y2J = new float[rows2 * c2];
      arg2 = new int[n * flat];
      a2 = new float[arg2.length];
      hiddenJ = new float[n * dense];
      logitsJ = new float[n * Images.CLASSES];
      dLogitsJ = new float[n * Images.CLASSES];
      dHiddenJ = new float[n * dense];
      dFlatJ = new float[n * flat];
      dY2J = new float[rows2 * c2];
      dA1 = new float[a1.length];
      dY1J = new float[rows1 * c1];
    }

    void close() {
      for (INDArray a : new INDArray[] {cols1, y1, cols2, y2, flatIn, hidden, logits, dLogits, dHidden, dFlat, dY2,
          dCols2, dY1}) {
        a.close();
      }
    }
  }

  private static INDArray matrix(int rows, int cols) {
    return Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
  }

  /**
   * One optimiser step on {@code n} images ([n * 784] pixels scaled to 0-1) with one-hot labels ([n * 10]); returns
   * the batch's mean softmax cross-entropy before the step.
   */
  double fit(float[] x, float[] oneHot, int n) {
    return fit(x, oneHot, n, dev.sagebox.engine.collective.Collective.SOLO);
  }

  /**
   * As {@link #fit(float[], float[], int)} on one host's part of a global batch: the gradients are averaged over the
   * hosts before the step (one allreduce of all parameters' gradients), so every host takes the same step.
   */
  double fit(float[] x, float[] oneHot, int n, dev.sagebox.engine.collective.Collective hosts) {
    double loss = gradients(x, oneHot, n);
    if (hosts.distributed()) {
      averageGradients(hosts);
    }
    update();
    return loss;
  }

  /** Replaces every gradient with its mean over the hosts. */
  private void averageGradients(dev.sagebox.engine.collective.Collective hosts) {
    int total = 0;
    for (INDArray g : grads) {
      total += (int) g.length();
    }
    float[] all = new float[total];
    int at = 0;
    for (INDArray g : grads) {
      FloatBuffer b = floats(g);
      int len = (int) g.length();
      b.get(all, at, len);
      at += len;
    }
    float[] mean = hosts.allReduce(all, dev.sagebox.engine.collective.Collective.Op.SUM);
    float inv = 1f / hosts.size();
    at = 0;
    for (INDArray g : grads) {
      FloatBuffer b = floats(g);
      int len = (int) g.length();
      for (int i = 0; i < len; i++) {
        b.put(i, mean[at + i] * inv);
      }
      at += len;
    }
  }

  /** A checksum of the parameters (their sum, in double): equal on every host after a synchronised step. */
  double parameterChecksum() {
    double sum = 0;
    for (INDArray a : params) {
      FloatBuffer b = floats(a);
      for (int i = 0; i < b.limit(); i++) {
        sum += b.get(i);
      }
    }
    return sum;
  }

  /**
   * The loss and the parameters' gradients ({@link #gradients()}) on a batch, without a step: the first half of
   * {@link #fit}.
   */
  double gradients(float[] x, float[] oneHot, int n) {
    Buffers b = buffers;
    if (b == null || b.n != n) {
      if (b != null) {
        b.close();
      }
      b = new Buffers(n);
      buffers = b;
    }
    start();
    readBiases();
    Buffers f = b;
    int y1Size = S1 * S1 * c1;
    int a1Size = P1 * P1 * c1;
    int y2Size = S2 * S2 * c2;
    parallel(n, (from, to) -> {
      im2col1(x, f.cols1J, from, to);
      put(f.cols1, f.cols1J, from * S1 * S1 * K * K, to * S1 * S1 * K * K);
    });
    lap(Section.IM2COL_1);
    Nd4j.gemm(b.cols1, w1m, b.y1, false, false, 1.0, 0.0);
    lap(Section.GEMM_CONV1);
    parallel(n, (from, to) -> {
      get(f.y1, f.y1J, from * y1Size, to * y1Size);
      pool(f.y1J, S1, c1, b1, f.a1, f.arg1, from, to);
    });
    lap(Section.POOL_1);
    parallel(n, (from, to) -> {
      im2col2(f.a1, floats(f.cols2), from, to);
    });
    lap(Section.IM2COL_2);
    Nd4j.gemm(b.cols2, w2m, b.y2, false, false, 1.0, 0.0);
    lap(Section.GEMM_CONV2);
    get(b.y2, b.y2J, 0, n * y2Size);
    pool(b.y2J, S2, c2, b2, b.a2, b.arg2, 0, n);
    put(b.flatIn, b.a2, 0, n * flat);
    lap(Section.POOL_2);
    Nd4j.gemm(b.flatIn, params[4], b.hidden, false, false, 1.0, 0.0);
    get(b.hidden, b.hiddenJ);
    biasRelu(b.hiddenJ, bd);
    put(b.hidden, b.hiddenJ);
    Nd4j.gemm(b.hidden, params[6], b.logits, false, false, 1.0, 0.0);
    get(b.logits, b.logitsJ);
    lap(Section.DENSE_FORWARD);
    double loss = softmaxCrossEntropy(b.logitsJ, bo, oneHot, b.dLogitsJ, n);
    put(b.dLogits, b.dLogitsJ);
    lap(Section.LOSS);

    // Dense layers backward.
    Nd4j.gemm(b.hidden, b.dLogits, grads[6], true, false, 1.0, 0.0);
    putColumnSums(b.dLogitsJ, Images.CLASSES, grads[7]);
    Nd4j.gemm(b.dLogits, params[6], b.dHidden, false, true, 1.0, 0.0);
    get(b.dHidden, b.dHiddenJ);
    reluBackward(b.dHiddenJ, b.hiddenJ);
    put(b.dHidden, b.dHiddenJ);
    putColumnSums(b.dHiddenJ, dense, grads[5]);
    Nd4j.gemm(b.flatIn, b.dHidden, grads[4], true, false, 1.0, 0.0);
    Nd4j.gemm(b.dHidden, params[4], b.dFlat, false, true, 1.0, 0.0);
    get(b.dFlat, b.dFlatJ);
    lap(Section.DENSE_BACKWARD);

    // Second convolution backward: ReLU and pooling (a scatter to each window's argmax), then weights and data.
    reluBackward(b.dFlatJ, b.a2);
    putColumnSums(b.dFlatJ, c2, grads[3]);
    scatter(b.dFlatJ, b.arg2, b.dY2J, 0, n, flat, y2Size);
    put(b.dY2, b.dY2J);
    Nd4j.gemm(b.cols2, b.dY2, g2m, true, false, 1.0, 0.0);
    Nd4j.gemm(b.dY2, w2m, b.dCols2, false, true, 1.0, 0.0);
    lap(Section.GEMM_CONV2_BACKWARD);

    // First convolution backward (no gradient for the input).
    parallel(n, (from, to) -> {
      col2im2(floats(f.dCols2), f.dA1, from, to);
      reluBackward(f.dA1, f.a1, from * a1Size, to * a1Size);
      scatter(f.dA1, f.arg1, f.dY1J, from, to, a1Size, y1Size);
      put(f.dY1, f.dY1J, from * y1Size, to * y1Size);
    });
    putColumnSums(b.dA1, c1, grads[1]);
    lap(Section.COL2IM_POOL1_BACKWARD);
    Nd4j.gemm(b.cols1, b.dY1, g1m, true, false, 1.0, 0.0);
    lap(Section.GEMM_CONV1_BACKWARD);
    return loss;
  }

  /** SameDiff's TrainingSession update, per parameter: regularisation, updater, regularisation, subtract. */
  private void update() {
    TrainingConfig config = sd.getTrainingConfig();
    int iteration = config.getIterationCount();
    int epoch = config.getEpochCount();
    double lr = config.getUpdater().hasLearningRate() ? config.getUpdater().getLearningRate(iteration, epoch) : 1.0;
    List<Regularization> regularization = config.getRegularization();
    if (config.getUpdater() instanceof Adam adam && (regularization == null || regularization.isEmpty())
        && config.isMinimize()) {
      for (int i = 0; i < PARAMS.length; i++) {
        Map<String, INDArray> state = sd.getUpdaterMap().get(PARAMS[i]).getState();
        adamStep(adam, lr, iteration, floats(grads[i]), floats(state.get("M")), floats(state.get("V")),
            floats(params[i]), (int) params[i].length());
      }
      lap(Section.UPDATER);
      config.incrementIterationCount();
      return;
    }
    for (int i = 0; i < PARAMS.length; i++) {
      GradientUpdater<?> updater = sd.getUpdaterMap().get(PARAMS[i]);
      regularise(regularization, Regularization.ApplyStep.BEFORE_UPDATER, params[i], grads[i], lr, iteration, epoch);
      updater.applyUpdater(grads[i], iteration, epoch);
      regularise(regularization, Regularization.ApplyStep.POST_UPDATER, params[i], grads[i], lr, iteration, epoch);
      lap(Section.UPDATER);
      if (config.isMinimize()) {
        params[i].subi(grads[i]);
      } else {
        params[i].addi(grads[i]);
      }
      lap(Section.SUBTRACT);
    }
    // As SameDiff.fit on one DataSet: one more iteration; its epoch count stays as it was.
    config.incrementIterationCount();
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

  private static void regularise(List<Regularization> all, Regularization.ApplyStep step, INDArray param,
      INDArray grad, double lr, int iteration, int epoch) {
    if (all == null) {
      return;
    }
    for (Regularization r : all) {
      if (r.applyStep() == step) {
        r.apply(param, grad, lr, iteration, epoch);
      }
    }
  }

  private void readBiases() {
    floats(params[1]).get(b1);
    floats(params[3]).get(b2);
    floats(params[5]).get(bd);
    floats(params[7]).get(bo);
  }

  /**
   * Images from..to of [n, 28, 28] pixels to rows (image, y, x) of the 5x5 window (ky, kx), the order of conv1_w's
   * [5, 5, 1, c1].
   */
  private static void im2col1(float[] x, float[] cols, int from, int to) {
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
  private void im2col2(float[] a, FloatBuffer cols, int from, int to) {
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
  private void col2im2(FloatBuffer cols, float[] a, int from, int to) {
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
  private static void pool(float[] y, int side, int ch, float[] bias, float[] out, int[] arg, int from, int to) {
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
  private static void scatter(float[] dPooled, int[] arg, float[] dy, int from, int to, int pooled, int window) {
    Arrays.fill(dy, from * window, to * window, 0f);
    for (int i = from * pooled; i < to * pooled; i++) {
      dy[arg[i]] = dPooled[i];
    }
  }

  private static void biasRelu(float[] h, float[] bias) {
    int cols = bias.length;
    for (int i = 0; i < h.length; i++) {
      h[i] = Math.max(0f, h[i] + bias[i % cols]);
    }
  }

  /** Zeroes the gradient where the ReLU's output was 0. */
  private static void reluBackward(float[] grad, float[] out) {
    reluBackward(grad, out, 0, grad.length);
  }

  private static void reluBackward(float[] grad, float[] out, int from, int to) {
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
  private static double softmaxCrossEntropy(float[] logits, float[] bias, float[] oneHot, float[] dLogits, int n) {
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

  /** Column sums of the row-major [rows, cols] {@code m} (the bias gradient) into the native vector {@code to}. */
  private static void putColumnSums(float[] m, int cols, INDArray to) {
    float[] s = new float[cols];
    for (int i = 0; i < m.length; i += cols) {
      for (int c = 0; c < cols; c++) {
        s[c] += m[i + c];
      }
    }
    floats(to).put(s);
  }

  private static void put(INDArray to, float[] from) {
    put(to, from, 0, (int) to.length());
  }

  private static void get(INDArray from, float[] to) {
    get(from, to, 0, (int) from.length());
  }

  /** Elements {@code start}..{@code end} of {@code from} into the same places of the native {@code to}. */
  private static void put(INDArray to, float[] from, int start, int end) {
    floats(to).put(start, from, start, end - start);
  }

  private static void get(INDArray from, float[] to, int start, int end) {
    floats(from).get(start, to, start, end - start);
  }

  /** Work on images [from, to). */
  @FunctionalInterface
  interface ImageRange {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code n} images split into one contiguous range per thread (the caller's thread takes the
   * first): the Java loops between the matrix products are per image, so the split changes no result.
   */
  private void parallel(int n, ImageRange body) {
    int parts = workers == null ? 1 : Math.min(threads, n);
    if (parts <= 1) {
      body.run(0, n);
      return;
    }
    java.util.concurrent.Future<?>[] others = new java.util.concurrent.Future<?>[parts - 1];
    for (int t = 1; t < parts; t++) {
      int from = (int) ((long) n * t / parts);
      int to = (int) ((long) n * (t + 1) / parts);
      others[t - 1] = workers.submit(() -> body.run(from, to));
    }
    body.run(0, (int) ((long) n / parts));
    for (java.util.concurrent.Future<?> f : others) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted in a training step", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
  }

  /**
   * A view of a contiguous array's native memory from its first element (CPU backend). ND4J hands out the whole
   * underlying buffer, so a view (the optimiser state's M and V halves) starts at its offset.
   */
  static FloatBuffer floats(INDArray a) {
    if (a.dataType() != DataType.FLOAT || (a.length() > 1 && a.elementWiseStride() != 1) || a.ordering() != 'c'
        && !a.isVector()) {
      throw new IllegalStateException("expected a contiguous float array, got " + a.shapeInfoToString());
    }
    FloatBuffer all = a.data().asNioFloat();
    return a.offset() == 0 ? all : all.position((int) a.offset()).slice();
  }

  /**
   * After {@link #gradients(float[], float[], int)}: the gradients by graph variable name, in the graph's layouts
   * (after {@link #fit} they hold the applied updates instead).
   */
  java.util.Map<String, INDArray> gradients() {
    java.util.Map<String, INDArray> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < PARAMS.length; i++) {
      m.put(PARAMS[i], grads[i]);
    }
    return m;
  }

  void timeSections(boolean on) {
    timed = on;
  }

  /** Milliseconds per {@link Section}, summed over the timed steps. */
  double[] sectionMillis() {
    double[] ms = new double[sectionNanos.length];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = sectionNanos[i] / 1e6;
    }
    return ms;
  }

  private void start() {
    if (timed) {
      mark = System.nanoTime();
    }
  }

  private void lap(Section s) {
    if (timed) {
      long now = System.nanoTime();
      sectionNanos[s.ordinal()] += now - mark;
      mark = now;
    }
  }

  void close() {
    if (workers != null) {
      workers.shutdown();
    }
    if (buffers != null) {
      buffers.close();
      buffers = null;
    }
    for (INDArray g : grads) {
      g.close();
    }
  }
}
