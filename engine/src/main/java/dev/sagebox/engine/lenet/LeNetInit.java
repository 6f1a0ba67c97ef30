package dev.sagebox.engine.lenet;

import java.util.Random;

/**
 * Fresh LeNet weights, reproducible from the seed: Xavier-normal weights (standard deviation sqrt(2 / (fanIn +
 * fanOut)), with a convolution's fans counted over its 5x5 window, as DL4J's {@code WeightInit.XAVIER}) and zero biases.
 */
final class LeNetInit {
  private LeNetInit() {}

  static LeNetWeights xavier(LeNetParams p) {
    Random random = new Random(p.seed());
    int k2 = LeNetWeights.KERNEL * LeNetWeights.KERNEL;
    int flattened = p.conv2() * LeNetWeights.POOLED * LeNetWeights.POOLED;
    return new LeNetWeights(p.conv1(), p.conv2(), p.dense(),
        normal(random, p.conv1() * k2, k2, p.conv1() * k2), new float[p.conv1()],
        normal(random, p.conv2() * p.conv1() * k2, p.conv1() * k2, p.conv2() * k2), new float[p.conv2()],
        normal(random, flattened * p.dense(), flattened, p.dense()), new float[p.dense()],
        normal(random, p.dense() * Images.CLASSES, p.dense(), Images.CLASSES), new float[Images.CLASSES]);
  }

  private static float[] normal(Random random, int count, int fanIn, int fanOut) {
    double sd = Math.sqrt(2.0 / (fanIn + fanOut));
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (random.nextGaussian() * sd);
    }
    return v;
  }
}
