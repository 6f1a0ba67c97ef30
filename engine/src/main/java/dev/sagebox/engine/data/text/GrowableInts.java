package dev.sagebox.engine.data.text;

import java.util.Arrays;

/** An append-only int array without boxing. */
public final class GrowableInts {
  private int[] data;
  private int size;

  public GrowableInts(int capacity) {
    data = new int[Math.max(16, capacity)];
  }

  public void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L));
    }
    data[size++] = v;
  }

  public int size() {
    return size;
  }

  public int[] array() {
    return data;
  }

  public int[] toArray() {
    return size == data.length ? data : Arrays.copyOf(data, size);
  }
}
