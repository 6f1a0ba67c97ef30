package dev.sagebox.engine.lenet;

import dev.sagebox.engine.onnx.OnnxGraph;
import dev.sagebox.engine.onnx.OnnxGraph.Attribute;
import dev.sagebox.engine.onnx.OnnxGraph.Dim;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TensorProto.DataType;
import java.nio.file.Path;
import java.util.List;

/**
 * LeNet as an ONNX model, from {@link LeNetWeights}: input {@value #INPUT}, float [N, 1, 28, 28] already scaled to
 * 0-1 as in training; output {@value #OUTPUT}, float [N, 10], the class probabilities. Conv -> Relu -> MaxPool ->
 * Conv -> Relu -> MaxPool -> Flatten -> Gemm -> Relu -> Gemm -> Softmax, with the batch size left dynamic.
 */
final class LeNetOnnx {
  static final String INPUT = "images";
  static final String OUTPUT = "probabilities";

  private LeNetOnnx() {}

  /** Writes the network to {@code file} (normally {@code model/model.onnx}). */
  static void write(LeNetWeights w, Path file) {
    OnnxModelWriter.write(graph(w), "Sagebox LeNet: " + INPUT + " [N,1,28,28] float scaled to 0-1 -> " + OUTPUT
        + " [N,10]", file);
  }

  static OnnxGraph graph(LeNetWeights w) {
    int k = LeNetWeights.KERNEL;
    OnnxGraph g = new OnnxGraph("sagebox_lenet");
    g.input(INPUT, DataType.FLOAT, OnnxGraph.BATCH, Dim.of(1), Dim.of(Images.SIDE), Dim.of(Images.SIDE));
    String conv1W = g.floats("conv1_w", w.conv1W(), w.conv1(), 1, k, k);
    String conv1B = g.floats("conv1_b", w.conv1B(), w.conv1());
    String conv2W = g.floats("conv2_w", w.conv2W(), w.conv2(), w.conv1(), k, k);
    String conv2B = g.floats("conv2_b", w.conv2B(), w.conv2());
    String denseW = g.floats("dense_w", w.denseW(), w.flattened(), w.dense());
    String denseB = g.floats("dense_b", w.denseB(), w.dense());
    String outW = g.floats("out_w", w.outW(), w.dense(), Images.CLASSES);
    String outB = g.floats("out_b", w.outB(), Images.CLASSES);

    String a = convBlock(g, "1", INPUT, conv1W, conv1B);
    String b = convBlock(g, "2", a, conv2W, conv2B);
    // [N, conv2, 4, 4] -> [N, conv2 * 16] in C-H-W order, the order of denseW's rows.
    String flat = g.node("Flatten", List.of(b), "flat", new Attribute.Int("axis", 1));
    String dense = g.node("Gemm", List.of(flat, denseW, denseB), "dense");
    String hidden = g.node("Relu", List.of(dense), "dense_relu");
    String logits = g.node("Gemm", List.of(hidden, outW, outB), "logits");
    g.node("Softmax", List.of(logits), OUTPUT, new Attribute.Int("axis", 1));
    g.output(OUTPUT, DataType.FLOAT, OnnxGraph.BATCH, Dim.of(Images.CLASSES));
    return g;
  }

  /** Valid 5x5 convolution (stride 1), ReLU, 2x2 max-pooling (stride 2). */
  private static String convBlock(OnnxGraph g, String n, String in, String weights, String bias) {
    long k = LeNetWeights.KERNEL;
    String conv = g.node("Conv", List.of(in, weights, bias), "conv" + n, new Attribute.Ints("kernel_shape", k, k),
        new Attribute.Ints("strides", 1, 1), new Attribute.Ints("pads", 0, 0, 0, 0));
    String relu = g.node("Relu", List.of(conv), "conv" + n + "_relu");
    return g.node("MaxPool", List.of(relu), "pool" + n, new Attribute.Ints("kernel_shape", 2, 2),
        new Attribute.Ints("strides", 2, 2));
  }
}
