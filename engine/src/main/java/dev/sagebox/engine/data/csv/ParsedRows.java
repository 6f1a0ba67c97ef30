package dev.sagebox.engine.data.csv;

import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.util.Arrays;

/** Where parsed rows go: preallocated arrays, each block writing its own row range. */
final class ParsedRows {
  final int columns;
  final int features;
  final CsvReader.Layout layout;
  float[] x;
  float[] labels;
  float[] weights;
  int capacity;
  int rows;
  private final String source;

  ParsedRows(int columns, CsvReader.Layout layout, int capacity, String source) {
    this.columns = columns;
    this.features = columns - layout.leadingColumns();
    this.layout = layout;
    this.capacity = capacity;
    this.source = source == null ? "the input" : source;
    try {
      this.x = new float[Math.multiplyExact(capacity, features)];
    } catch (ArithmeticException e) {
      throw new PlatformError(source + " holds more than 2^31 values; split it into several files", e);
    }
    this.labels = new float[layout.label() ? capacity : 0];
    this.weights = new float[layout.weight() ? capacity : 0];
  }

  /** Grows the arrays (by half, at least) when they hold fewer than {@code needed} rows. */
  void ensureCapacity(long needed) {
    if (needed > capacity) {
      grow(Math.max(needed, capacity + capacity / 2L + 1024));
      if (needed > capacity) {
        throw new UserError(source + " holds more than 2^31 values; split it into several files");
      }
    }
  }

  /** Copies the first {@code count} rows of {@code from} to rows {@code at} on (the room must be there). */
  void put(ParsedRows from, int count, int at) {
    System.arraycopy(from.x, 0, x, at * features, count * features);
    if (layout.label()) {
      System.arraycopy(from.labels, 0, labels, at, count);
    }
    if (layout.weight()) {
      System.arraycopy(from.weights, 0, weights, at, count);
    }
  }

  void grow(long newCapacity) {
    int cap = (int) Math.min(newCapacity, Integer.MAX_VALUE / Math.max(1, features));
    x = Arrays.copyOf(x, Math.multiplyExact(cap, features));
    labels = layout.label() ? Arrays.copyOf(labels, cap) : labels;
    weights = layout.weight() ? Arrays.copyOf(weights, cap) : weights;
    capacity = cap;
  }
}
