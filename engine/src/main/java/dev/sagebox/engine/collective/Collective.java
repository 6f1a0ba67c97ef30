package dev.sagebox.engine.collective;

import java.util.List;

/**
 * The hosts of one training job and the operations they run together. Every host calls the same operations in the
 * same order (an operation one host skips leaves the others waiting). Host {@code 0} in sorted order is the leader: it
 * alone prints metric lines and writes checkpoints and the model.
 */
public interface Collective {

  /** One host, no communication: what every single-instance job uses. */
  Collective SOLO = new Collective() {
    @Override
    public List<String> hosts() {
      return List.of("algo-1");
    }

    @Override
    public int hostIndex() {
      return 0;
    }

    @Override
    public float[] allReduce(float[] values, Op op) {
      return values.clone();
    }
  };

  enum Op { SUM, MAX, MIN }

  /** All hosts of the job, sorted; the same list on every host. */
  List<String> hosts();

  /** This host's place in {@link #hosts()}. */
  int hostIndex();

  /** The element-wise reduction of {@code values} over all hosts (a new array; the same on every host). */
  float[] allReduce(float[] values, Op op);

  default int size() {
    return hosts().size();
  }

  default boolean distributed() {
    return size() > 1;
  }

  default boolean leader() {
    return hostIndex() == 0;
  }

  default String host() {
    return hosts().get(hostIndex());
  }

  /** The largest {@code value} over the hosts (exact up to 2^24), the same on every host. */
  default int max(int value) {
    return !distributed() ? value : (int) allReduce(new float[] {value}, Op.MAX)[0];
  }

  /** True on every host when {@code flag} is true on any. */
  default boolean any(boolean flag) {
    return !distributed() ? flag : allReduce(new float[] {flag ? 1 : 0}, Op.MAX)[0] > 0;
  }

  /**
   * Every host's {@code value}, by host index. Exact for values up to 2^48 in magnitude: each is sent as two floats
   * of 24 bits.
   */
  default long[] gather(long value) {
    int n = size();
    if (value < 0 || value >= 1L << 48) {
      throw new IllegalArgumentException("gather takes 0 <= value < 2^48, got " + value);
    }
    float[] parts = new float[2 * n];
    parts[2 * hostIndex()] = (float) (value >>> 24);
    parts[2 * hostIndex() + 1] = (float) (value & 0xFFFFFF);
    float[] all = distributed() ? allReduce(parts, Op.SUM) : parts;
    long[] out = new long[n];
    for (int h = 0; h < n; h++) {
      out[h] = ((long) all[2 * h] << 24) | (long) all[2 * h + 1];
    }
    return out;
  }

  /** Every host's {@code value} (a float), by host index. */
  default float[] gather(float value) {
    float[] parts = new float[size()];
    parts[hostIndex()] = value;
    return distributed() ? allReduce(parts, Op.SUM) : parts;
  }
}
