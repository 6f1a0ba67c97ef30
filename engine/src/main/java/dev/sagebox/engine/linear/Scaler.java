package dev.sagebox.engine.linear;

/** Per-column mean and scale from the first rows of the (shuffled) training data, ignoring missing values. */
record Scaler(float[] mean, float[] scale) {

  /** Fitted on the rows {@code order[0], order[1], ...} ({@code order} null: the rows as stored), up to sampleRows. */
  static Scaler fit(float[] x, int[] order, int rows, int cols, int sampleRows, boolean center, boolean scale) {
    return fit(x, order, rows, cols, sampleRows, center, scale, dev.sagebox.engine.collective.Collective.SOLO);
  }

  /** As above, with each host's sample: the sums are added over all hosts, so every host has the same scaler. */
  static Scaler fit(float[] x, int[] order, int rows, int cols, int sampleRows, boolean center, boolean scale,
      dev.sagebox.engine.collective.Collective hosts) {
    int n = Math.min(rows, sampleRows);
    double[] sum = new double[cols];
    double[] sq = new double[cols];
    long[] count = new long[cols];
    for (int r = 0; r < n; r++) {
      int base = (order == null ? r : order[r]) * cols;
      for (int c = 0; c < cols; c++) {
        float v = x[base + c];
        if (!Float.isNaN(v)) {
          sum[c] += v;
          sq[c] += (double) v * v;
          count[c]++;
        }
      }
    }
    if (hosts.distributed()) {
      double[] local = new double[3 * cols];
      for (int c = 0; c < cols; c++) {
        local[c] = sum[c];
        local[cols + c] = sq[c];
        local[2 * cols + c] = count[c];
      }
      double[] all = HostAverages.sums(hosts, local);
      for (int c = 0; c < cols; c++) {
        sum[c] = all[c];
        sq[c] = all[cols + c];
        count[c] = Math.round(all[2 * cols + c]);
      }
    }
    float[] mean = new float[cols];
    float[] sd = new float[cols];
    for (int c = 0; c < cols; c++) {
      double m = count[c] == 0 ? 0 : sum[c] / count[c];
      double var = count[c] == 0 ? 0 : Math.max(0, sq[c] / count[c] - m * m);
      mean[c] = center ? (float) m : 0f;
      double s = Math.sqrt(var + (center ? 0 : m * m));
      sd[c] = scale && s > 1e-12 ? (float) s : 1f;
    }
    return new Scaler(mean, sd);
  }

  static Scaler identity(int cols) {
    float[] ones = new float[cols];
    java.util.Arrays.fill(ones, 1f);
    return new Scaler(new float[cols], ones);
  }
}
