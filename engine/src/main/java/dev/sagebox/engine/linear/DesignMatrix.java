package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Rows ready for training: features scaled (missing values at the mean, 0), in training order, row-major, with a
 * trailing column of ones when the model has a bias, so that {@code x · W} is the score with the bias included
 * (the bias is the last row of {@code W}); labels normalised; optional per-row weights. The rows live on the Java
 * heap ({@link JavaSteps} reads them there); {@link #x()} copies them to ND4J once, on first use. Mini-batch views
 * of that copy are cut once, so a training step allocates no views of its own.
 */
final class DesignMatrix {
  private final float[] values;
  private final float[] labels;
  private final float[] weights;
  private final int n;
  private final int cols;
  private final int batch;
  private INDArray x;
  private INDArray y;
  private INDArray w;
  private INDArray headX;
  private INDArray headY;
  private final INDArray[] xb;
  private final INDArray[] yb;
  private final INDArray[] wb;

  private DesignMatrix(float[] values, float[] labels, float[] weights, int n, int cols, int batch) {
    this.values = values;
    this.labels = labels;
    this.weights = weights;
    this.n = n;
    this.cols = cols;
    this.batch = batch;
    int batches = batches();
    xb = new INDArray[batches];
    yb = new INDArray[batches];
    wb = weights == null ? null : new INDArray[batches];
  }

  /**
   * @param order the source row of each training row ({@code null}: as stored)
   * @param weights the weight of each training row, already in training order, or {@code null}
   * @param batch the mini-batch size (the last batch may be shorter)
   */
  static DesignMatrix of(LinearTrainer.Rows r, int[] order, Scaler s, boolean biasColumn, float labelMean,
      float labelScale, float[] weights, int batch, int threads) {
    int n = r.n();
    int d = r.d();
    int cols = d + (biasColumn ? 1 : 0);
    float[] mean = s.mean();
    float[] scale = s.scale();
    float[] src = r.x();
    float[] out = new float[Math.multiplyExact(n, cols)];
    inParallel(threads, n, (first, end) -> {
      for (int i = first; i < end; i++) {
        scaleRow(src, (order == null ? i : order[i]) * d, out, i * cols, mean, scale);
        if (biasColumn) {
          out[i * cols + d] = 1f;
        }
      }
    });
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (r.y()[order == null ? i : order[i]] - labelMean) / labelScale;
    }
    return new DesignMatrix(out, labels, weights, n, cols, Math.max(1, Math.min(batch, n)));
  }

  /**
   * One row, scaled, missing values (NaN) at 0. A method of its own so that the JIT compiles (and vectorises) it
   * early, as a whole method, rather than as an on-stack replacement of one long loop.
   */
  private static void scaleRow(float[] src, int from, float[] out, int to, float[] mean, float[] scale) {
    for (int j = 0; j < mean.length; j++) {
      float v = (src[from + j] - mean[j]) / scale[j];
      out[to + j] = Float.isNaN(v) ? 0f : v;
    }
  }

  private interface RowRange {
    void run(int first, int end);
  }

  /** Runs {@code range} over [0, n) cut into {@code threads} contiguous parts, one thread each. */
  private static void inParallel(int threads, int n, RowRange range) {
    int parts = Math.max(1, Math.min(threads, n / 50_000));
    if (parts == 1) {
      range.run(0, n);
      return;
    }
    Thread[] workers = new Thread[parts - 1];
    for (int t = 1; t < parts; t++) {
      int first = (int) ((long) n * t / parts);
      int end = (int) ((long) n * (t + 1) / parts);
      workers[t - 1] = new Thread(() -> range.run(first, end), "design-matrix");
      workers[t - 1].start();
    }
    range.run(0, n / parts);
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while scaling the rows", e);
      }
    }
  }

  /** The scaled rows, row-major [rows, columns]. */
  float[] values() {
    return values;
  }

  /** The normalised labels (class indices for multiclass). */
  float[] labels() {
    return labels;
  }

  /** The row weights, or {@code null} when all rows weigh the same. */
  float[] weights() {
    return weights;
  }

  /** The rows as an ND4J matrix [rows, columns] (copied on first use). */
  INDArray x() {
    if (x == null) {
      x = Nd4j.create(values, new long[] {n, cols}, 'c');
    }
    return x;
  }

  /** The labels as an ND4J column [rows, 1]. */
  INDArray y() {
    if (y == null) {
      y = Nd4j.createFromArray(labels).reshape(n, 1);
    }
    return y;
  }

  int rows() {
    return n;
  }

  int columns() {
    return cols;
  }

  int batchSize() {
    return batch;
  }

  int batches() {
    return (n + batch - 1) / batch;
  }

  int firstRowOf(int b) {
    return b * batch;
  }

  int rowsIn(int b) {
    return Math.min(n, (b + 1) * batch) - b * batch;
  }

  INDArray batchX(int b) {
    if (xb[b] == null) {
      xb[b] = rowsOf(x(), b);
    }
    return xb[b];
  }

  INDArray batchY(int b) {
    if (yb[b] == null) {
      yb[b] = rowsOf(y(), b);
    }
    return yb[b];
  }

  /** The batch's row weights, or {@code null} when all rows weigh the same. */
  INDArray batchWeights(int b) {
    if (wb == null) {
      return null;
    }
    if (w == null) {
      w = Nd4j.createFromArray(weights).reshape(n, 1);
    }
    if (wb[b] == null) {
      wb[b] = rowsOf(w, b);
    }
    return wb[b];
  }

  /** The first {@code count} rows' features (copied to ND4J without the rest), for a loss estimate on a sample. */
  INDArray headX(int count) {
    int h = Math.min(n, count);
    if (headX == null || headX.rows() != h) {
      headX = x != null ? x.get(NDArrayIndex.interval(0, h), NDArrayIndex.all())
          : Nd4j.create(java.util.Arrays.copyOf(values, h * cols), new long[] {h, cols}, 'c');
      headY = Nd4j.createFromArray(java.util.Arrays.copyOf(labels, h)).reshape(h, 1);
    }
    return headX;
  }

  /** The labels of the rows {@link #headX(int)} returned last. */
  INDArray headY(int count) {
    headX(count);
    return headY;
  }

  private INDArray rowsOf(INDArray a, int b) {
    return a.get(NDArrayIndex.interval((long) b * batch, (long) b * batch + rowsIn(b)), NDArrayIndex.all());
  }
}
