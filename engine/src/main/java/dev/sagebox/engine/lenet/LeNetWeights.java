package dev.sagebox.engine.lenet;

/**
 * LeNet's trained parameters in one fixed, framework-free layout, so that the network can be written to other
 * formats (ONNX) and checked against them. The network is conv 5x5 (stride 1, no padding) -> ReLU -> max-pool 2x2
 * (stride 2) -> conv 5x5 -> ReLU -> max-pool 2x2 -> flatten -> dense -> ReLU -> dense -> softmax, on [N, 1, 28, 28]
 * images scaled to 0-1.
 *
 * <ul>
 *   <li>{@code conv1W}: [conv1, 1, 5, 5] (OIHW, row-major); {@code conv1B}: [conv1]</li>
 *   <li>{@code conv2W}: [conv2, conv1, 5, 5] (OIHW); {@code conv2B}: [conv2]</li>
 *   <li>{@code denseW}: [conv2 * 4 * 4, dense] (in, out), where input index = channel * 16 + row * 4 + column, the
 *       C-H-W flattening of the second pooling's [N, conv2, 4, 4] output; {@code denseB}: [dense]</li>
 *   <li>{@code outW}: [dense, 10]; {@code outB}: [10]</li>
 * </ul>
 */
record LeNetWeights(int conv1, int conv2, int dense, float[] conv1W, float[] conv1B, float[] conv2W, float[] conv2B,
    float[] denseW, float[] denseB, float[] outW, float[] outB) {

  static final int KERNEL = 5;
  /** Side of the second pooling's output: 28 -> 24 -> 12 -> 8 -> 4. */
  static final int POOLED = 4;

  LeNetWeights {
    check("conv1W", conv1W, conv1 * KERNEL * KERNEL);
    check("conv1B", conv1B, conv1);
    check("conv2W", conv2W, conv2 * conv1 * KERNEL * KERNEL);
    check("conv2B", conv2B, conv2);
    check("denseW", denseW, conv2 * POOLED * POOLED * dense);
    check("denseB", denseB, dense);
    check("outW", outW, dense * Images.CLASSES);
    check("outB", outB, Images.CLASSES);
  }

  /** Inputs of the first dense layer. */
  int flattened() {
    return conv2 * POOLED * POOLED;
  }

  private static void check(String name, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
    }
  }
}
