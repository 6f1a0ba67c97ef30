package dev.sagebox.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Inputs shared by the benchmarks, generated from a fixed seed so every run (and every machine) sees the same bytes.
 *
 * <p>The tabular data imitates HIGGS: 28 features, most roughly normal, every fourth one skewed and positive (like
 * an energy or a mass), written with six decimals as numeric exports usually are; the 0/1 label depends on the
 * features through a fixed random linear score plus noise, so trained models have something real to learn.
 */
final class SyntheticData {
  static final int FEATURES = 28;
  static final long SEED = 20_240_601L;
  static final int PIXELS = 784;

  private SyntheticData() {}

  /** Row-major features and a label per row. */
  record Table(int rows, int columns, float[] x, float[] labels) {
    float[] featuresOf(int count) {
      return Arrays.copyOf(x, count * columns);
    }
  }

  /** {@code rows} HIGGS-like rows; {@code density} below 1 zeroes features at random (for sparse libsvm). */
  static Table binary(int rows, long seed, double density) {
    Random r = new Random(seed);
    float[] w = new float[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      w[j] = (float) r.nextGaussian();
    }
    float[] x = new float[rows * FEATURES];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      double z = 0;
      for (int j = 0; j < FEATURES; j++) {
        double v = j % 4 == 3 ? Math.exp(0.5 * r.nextGaussian()) : r.nextGaussian();
        if (density < 1 && r.nextDouble() >= density) {
          v = 0;
        }
        x[i * FEATURES + j] = (float) v;
        z += w[j] * v;
      }
      labels[i] = z + r.nextGaussian() > 0 ? 1f : 0f;
    }
    return new Table(rows, FEATURES, x, labels);
  }

  /** Enough rows that {@code toBytes} comes to about {@code targetBytes}, judged from a sample of the format. */
  static int rowsFor(long targetBytes, int sampleBytes, int sampleRows) {
    return (int) Math.max(1, targetBytes * sampleRows / sampleBytes);
  }

  /** CSV, no header; the label first when {@code withLabel}; one row per line. */
  static byte[] csv(Table t, int rows, boolean withLabel) {
    Bytes b = new Bytes(rows * 300 + 16);
    for (int i = 0; i < rows; i++) {
      if (withLabel) {
        b.label(t.labels[i]);
      }
      for (int j = 0; j < t.columns; j++) {
        if (withLabel || j > 0) {
          b.put(',');
        }
        b.decimal(t.x[i * t.columns + j]);
      }
      b.put('\n');
    }
    return b.toArray();
  }

  /** libsvm with 1-based indices, zeros left out: {@code <label> <index>:<value> ...}. */
  static byte[] libsvm(Table t, int rows) {
    Bytes b = new Bytes(rows * 200 + 16);
    for (int i = 0; i < rows; i++) {
      b.label(t.labels[i]);
      for (int j = 0; j < t.columns; j++) {
        float v = t.x[i * t.columns + j];
        if (v != 0f) {
          b.put(' ');
          b.integer(j + 1);
          b.put(':');
          b.decimal(v);
        }
      }
      b.put('\n');
    }
    return b.toArray();
  }

  /** A SageMaker JSON request body: {@code {"instances": [[f1, f2, ...], ...]}} as Python's json.dumps writes it. */
  static byte[] jsonInstances(Table t, int rows) {
    Bytes b = new Bytes(rows * 300 + 32);
    b.ascii("{\"instances\": [");
    for (int i = 0; i < rows; i++) {
      if (i > 0) {
        b.ascii(", ");
      }
      b.put('[');
      for (int j = 0; j < t.columns; j++) {
        if (j > 0) {
          b.ascii(", ");
        }
        b.decimal(t.x[i * t.columns + j]);
      }
      b.put(']');
    }
    b.ascii("]}");
    return b.toArray();
  }

  /**
   * MNIST-like digits as LeNet's CSV reads them: a label 0-9, then 784 pixels 0-255, mostly background (0) with
   * about a fifth of the pixels inked.
   */
  static byte[] digitsCsv(int rows, long seed) {
    Random r = new Random(seed);
    Bytes b = new Bytes(rows * PIXELS * 3);
    for (int i = 0; i < rows; i++) {
      b.integer(r.nextInt(10));
      for (int k = 0; k < PIXELS; k++) {
        b.put(',');
        b.integer(r.nextDouble() < 0.2 ? 1 + r.nextInt(255) : 0);
      }
      b.put('\n');
    }
    return b.toArray();
  }

  /** {@code rows} x 784 pixel values 0-255 (row-major) for LeNet predictions. */
  static float[] digits(int rows, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * PIXELS];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble() < 0.2 ? 1 + r.nextInt(255) : 0;
    }
    // Every row needs a value above 1, or the predictor takes it as already scaled to 0-1 (fine, but not this case).
    for (int i = 0; i < rows; i++) {
      x[i * PIXELS + PIXELS / 2] = 255;
    }
    return x;
  }

  /** A growable byte buffer with the few number formats the generators need (no String per number). */
  private static final class Bytes {
    private byte[] buf;
    private int size;

    Bytes(int capacity) {
      buf = new byte[Math.max(64, capacity)];
    }

    void put(char c) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = (byte) c;
    }

    void ascii(String s) {
      for (byte c : s.getBytes(StandardCharsets.US_ASCII)) {
        put((char) c);
      }
    }

    void label(float v) {
      integer((int) v);
    }

    void integer(long v) {
      if (v < 0) {
        put('-');
        v = -v;
      }
      if (v >= 10) {
        integer(v / 10);
      }
      put((char) ('0' + v % 10));
    }

    /** Six decimals, as {@code %.6f} would write it. */
    void decimal(float v) {
      long scaled = Math.round(Math.abs((double) v) * 1_000_000d);
      if (v < 0 && scaled != 0) {
        put('-');
      }
      integer(scaled / 1_000_000);
      put('.');
      long frac = scaled % 1_000_000;
      for (long d = 100_000; d > 0; d /= 10) {
        put((char) ('0' + frac / d % 10));
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, size);
    }
  }
}
