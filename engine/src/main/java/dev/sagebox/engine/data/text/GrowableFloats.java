package dev.sagebox.engine.data.text;

import java.util.Arrays;

/** An append-only float array without boxing. */
public final class GrowableFloats {
  private float[] data;
  private int size;

  public GrowableFloats(int capacity) {
    data = new float[Math.max(16, capacity)];
  }

  public void add(float v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L));
    }
    data[size++] = v;
  }

  public int size() {
    return size;
  }

  public float[] array() {
    return data;
  }

  public float[] toArray() {
    return size == data.length ? data : Arrays.copyOf(data, size);
  }
}
