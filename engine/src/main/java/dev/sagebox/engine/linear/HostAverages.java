package dev.sagebox.engine.linear;

import dev.sagebox.engine.collective.Collective;

/**
 * The linear learner's data-parallel arithmetic over several hosts: each host steps on its own rows, and the weights
 * are averaged over the hosts at a fixed interval of steps and at each epoch's end (parameter averaging); statistics
 * (scaler sums, losses) are summed over the hosts so that every host takes the same decisions.
 */
final class HostAverages {
  /** Steps between two weight averages. */
  static final int SYNC_STEPS = 8;

  private HostAverages() {}

  /** Replaces the weights on every host with their mean over the hosts. */
  static void weights(StepRunner steps, Collective c) {
    if (!c.distributed()) {
      return;
    }
    float[] sum = c.allReduce(steps.weightValues(), Collective.Op.SUM);
    float inv = 1f / c.size();
    for (int i = 0; i < sum.length; i++) {
      sum[i] *= inv;
    }
    steps.setWeightValues(sum);
  }

  /** The element-wise sums over the hosts (doubles sent as floats: enough for means and scales). */
  static double[] sums(Collective c, double[] local) {
    if (!c.distributed()) {
      return local.clone();
    }
    float[] f = new float[local.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) local[i];
    }
    float[] all = c.allReduce(f, Collective.Op.SUM);
    double[] out = new double[all.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = all[i];
    }
    return out;
  }

  /** The mean over all hosts' rows of per-host means {@code local} taken over {@code rows} rows each. */
  static double[] means(Collective c, double[] local, long rows) {
    if (!c.distributed()) {
      return local.clone();
    }
    double[] weighted = new double[local.length + 1];
    for (int i = 0; i < local.length; i++) {
      weighted[i] = local[i] * rows;
    }
    weighted[local.length] = rows;
    double[] all = sums(c, weighted);
    double total = all[local.length];
    double[] out = new double[local.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = total == 0 ? 0 : all[i] / total;
    }
    return out;
  }
}
