package dev.sagebox.engine.lenet;

/**
 * Labelled 28x28 grayscale images: {@code pixels} holds {@code count} rows of 784 values, 0-255 as in MNIST (white
 * digit on black); {@code labels} the classes 0-9.
 */
record Images(String source, float[] pixels, int[] labels, int count) {
  static final int SIDE = 28;
  static final int SIZE = SIDE * SIDE;
  static final int CLASSES = 10;
}
