package dev.sagebox.engine.lenet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LeNet as an ND4J SameDiff graph: libnd4j's conv2d and max-pooling ops, which the oneDNN build of nd4j-native runs
 * through oneDNN, then two dense layers as matrix products. Input {@value #INPUT} is [N, 784] scaled to 0-1, viewed as
 * NHWC [N, 28, 28, 1] (channels last: oneDNN then pools with its JIT kernel and reorders less than with NCHW, ~11%
 * faster per training iteration here; see benchmarks/RESULTS.md); {@value #PROBABILITIES} is the softmax [N, 10]; {@value #LOSS} the mean softmax cross-entropy
 * against the one-hot {@value #LABELS}. Convolution weights are held in SameDiff's default YXIO layout
 * [kH, kW, inC, outC]; {@link LeNetWeights} uses OIHW, so they are permuted on the way in and out.
 */
final class LeNetGraph {
  static final String INPUT = "input";
  static final String LABELS = "labels";
  static final String PROBABILITIES = "probabilities";
  static final String LOSS = "loss";
  static final String LOGITS = "logits";
  static final String CONV1_W = "conv1_w";
  static final String CONV1_B = "conv1_b";
  static final String CONV2_W = "conv2_w";
  static final String CONV2_B = "conv2_b";
  static final String DENSE_W = "dense_w";
  static final String DENSE_B = "dense_b";
  static final String OUT_W = "out_w";
  static final String OUT_B = "out_b";

  private static final int K = LeNetWeights.KERNEL;

  private LeNetGraph() {}

  /** A graph holding {@code w} (copied) as its trainable variables; no training configuration yet. */
  static SameDiff build(LeNetWeights w) {
    SameDiff sd = SameDiff.create();
    SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, Images.SIZE);
    SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, Images.CLASSES);
    SDVariable conv1W = sd.var(CONV1_W, oihwToYxio(w.conv1W(), w.conv1(), 1));
    SDVariable conv1B = sd.var(CONV1_B, vector(w.conv1B()));
    SDVariable conv2W = sd.var(CONV2_W, oihwToYxio(w.conv2W(), w.conv2(), w.conv1()));
    SDVariable conv2B = sd.var(CONV2_B, vector(w.conv2B()));
    SDVariable denseW = sd.var(DENSE_W, matrix(chwToHwcRows(w.denseW(), w.conv2(), w.dense()), w.flattened(),
        w.dense()));
    SDVariable denseB = sd.var(DENSE_B, vector(w.denseB()));
    SDVariable outW = sd.var(OUT_W, matrix(w.outW(), w.dense(), Images.CLASSES));
    SDVariable outB = sd.var(OUT_B, vector(w.outB()));

    Conv2DConfig conv = Conv2DConfig.builder().kH(K).kW(K).sH(1).sW(1).dataFormat("NHWC").build();
    Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).type(Pooling2D.Pooling2DType.MAX)
        .isNHWC(true).build();
    // One channel: [N, 784] row-major is already [N, 28, 28, 1].
    SDVariable x = input.reshape(-1, Images.SIDE, Images.SIDE, 1);
    SDVariable a = sd.cnn().maxPooling2d(sd.nn().relu(sd.cnn().conv2d(x, conv1W, conv1B, conv), 0), pool);
    SDVariable b = sd.cnn().maxPooling2d(sd.nn().relu(sd.cnn().conv2d(a, conv2W, conv2B, conv), 0), pool);
    // NHWC [N, 4, 4, conv2] flattened row-major: index (row * 4 + column) * conv2 + channel. LeNetWeights numbers the
    // dense inputs channel * 16 + row * 4 + column (C-H-W), so the dense weights' rows are held reordered.
    SDVariable flat = b.reshape(-1, w.flattened());
    SDVariable hidden = sd.nn().relu(flat.mmul(denseW).add(denseB), 0);
    SDVariable logits = hidden.mmul(outW).add(LOGITS, outB);
    sd.nn().softmax(PROBABILITIES, logits, 1);
    sd.loss().softmaxCrossEntropy(LOSS, labels, logits, null);
    return sd;
  }

  /** The graph's current parameters in {@link LeNetWeights}' layout (a copy). */
  static LeNetWeights weights(SameDiff sd) {
    INDArray c1 = sd.getArrForVarName(CONV1_W);
    INDArray c2 = sd.getArrForVarName(CONV2_W);
    INDArray d = sd.getArrForVarName(DENSE_W);
    int conv1 = (int) c1.size(3);
    int conv2 = (int) c2.size(3);
    int dense = (int) d.size(1);
    return new LeNetWeights(conv1, conv2, dense, yxioToOihw(c1), floats(sd.getArrForVarName(CONV1_B)),
        yxioToOihw(c2), floats(sd.getArrForVarName(CONV2_B)), hwcToChwRows(floats(d), conv2, dense),
        floats(sd.getArrForVarName(DENSE_B)),
        floats(sd.getArrForVarName(OUT_W)), floats(sd.getArrForVarName(OUT_B)));
  }

  private static INDArray oihwToYxio(float[] oihw, int out, int in) {
    return Nd4j.createFromArray(oihw).reshape('c', out, in, K, K).permute(2, 3, 1, 0).dup('c');
  }

  private static float[] yxioToOihw(INDArray yxio) {
    return yxio.permute(3, 2, 0, 1).dup('c').data().asFloat();
  }

  /** Dense weight rows from C-H-W input order (LeNetWeights) to H-W-C (the NHWC flatten); {@code cols} per row. */
  static float[] chwToHwcRows(float[] chw, int channels, int cols) {
    float[] hwc = new float[chw.length];
    int cells = LeNetWeights.POOLED * LeNetWeights.POOLED;
    for (int c = 0; c < channels; c++) {
      for (int cell = 0; cell < cells; cell++) {
        System.arraycopy(chw, (c * cells + cell) * cols, hwc, (cell * channels + c) * cols, cols);
      }
    }
    return hwc;
  }

  /** The inverse of {@link #chwToHwcRows}. */
  static float[] hwcToChwRows(float[] hwc, int channels, int cols) {
    float[] chw = new float[hwc.length];
    int cells = LeNetWeights.POOLED * LeNetWeights.POOLED;
    for (int c = 0; c < channels; c++) {
      for (int cell = 0; cell < cells; cell++) {
        System.arraycopy(hwc, (cell * channels + c) * cols, chw, (c * cells + cell) * cols, cols);
      }
    }
    return chw;
  }

  private static INDArray vector(float[] v) {
    return Nd4j.createFromArray(v.clone());
  }

  private static INDArray matrix(float[] v, int rows, int cols) {
    return Nd4j.createFromArray(v.clone()).reshape('c', rows, cols);
  }

  private static float[] floats(INDArray a) {
    return a.dup('c').data().asFloat();
  }
}
