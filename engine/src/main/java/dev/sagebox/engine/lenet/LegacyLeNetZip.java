package dev.sagebox.engine.lenet;

import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the model file of Sagebox releases before SameDiff, {@value #NAME} (a DL4J MultiLayerNetwork written by
 * ModelSerializer), into {@link LeNetWeights}. DL4J keeps convolution weights as [outC, inC, kH, kW] (OIHW, as
 * LeNetWeights), dense weights as [nIn, nOut] and biases as [1, n]; its CNN-to-dense step flattens [N, C, H, W]
 * row-major, the C-H-W order LeNetWeights uses (LeNetLegacyTest checks the converted network's answers against DL4J's).
 */
final class LegacyLeNetZip {
  static final String NAME = "lenet-model.zip";

  private LegacyLeNetZip() {}

  static LeNetWeights read(Path file) {
    MultiLayerNetwork net;
    try {
      net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
    } catch (IOException | RuntimeException e) {
      throw new UserError(file + " is not a Sagebox LeNet model: " + e.getMessage(), e);
    }
    try {
      return convert(net, file);
    } finally {
      net.close();
    }
  }

  static LeNetWeights convert(MultiLayerNetwork net, Path file) {
    Layer[] layers = net.getLayers();
    boolean lenet = layers.length == 6 && layers[0] instanceof ConvolutionLayer
        && layers[1] instanceof SubsamplingLayer && layers[2] instanceof ConvolutionLayer
        && layers[3] instanceof SubsamplingLayer && layers[4] instanceof DenseLayer && layers[5] instanceof OutputLayer;
    Map<String, INDArray> t = net.paramTable();
    INDArray conv1W = t.get("0_W");
    INDArray conv2W = t.get("2_W");
    INDArray denseW = t.get("4_W");
    if (!lenet || conv1W == null || conv2W == null || denseW == null || conv1W.size(1) != 1
        || conv1W.size(2) != LeNetWeights.KERNEL || conv2W.size(2) != LeNetWeights.KERNEL) {
      throw new UserError(file + " is a DL4J network but not a Sagebox LeNet (conv 5x5, pool, conv 5x5, pool, dense,"
          + " output); retrain it with this Sagebox release (algorithm lenet)");
    }
    int conv1 = (int) conv1W.size(0);
    int conv2 = (int) conv2W.size(0);
    int dense = (int) denseW.size(1);
    try {
      return new LeNetWeights(conv1, conv2, dense, floats(conv1W), floats(t.get("0_b")), floats(conv2W),
          floats(t.get("2_b")), floats(denseW), floats(t.get("4_b")), floats(t.get("5_W")), floats(t.get("5_b")));
    } catch (IllegalArgumentException e) {
      throw new UserError(file + " has LeNet layers of unexpected sizes (" + e.getMessage() + "); retrain it with "
          + "this Sagebox release (algorithm lenet)", e);
    }
  }

  private static float[] floats(INDArray a) {
    return a.dup('c').data().asFloat();
  }
}
