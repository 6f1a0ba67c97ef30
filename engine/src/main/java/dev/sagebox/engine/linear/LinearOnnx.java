package dev.sagebox.engine.linear;

import dev.sagebox.engine.onnx.OnnxGraph;
import dev.sagebox.engine.onnx.OnnxGraph.Attribute;
import dev.sagebox.engine.onnx.OnnxGraph.Dim;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TensorProto.DataType;
import java.nio.file.Path;
import java.util.List;

/**
 * A linear-learner model as an ONNX model. Input {@value #INPUT}: float [N, F], the raw features (NaN for a missing
 * value, which counts as the training mean, as in {@link LinearPredictor}). Outputs:
 * <ul>
 *   <li>binary_classifier: {@value #SCORE} float [N] = P(label 1) = 1 / (1 + exp(-margin)); {@value #LABEL} int64 [N] =
 *       1 when the score is above the calibrated threshold, else 0;</li>
 *   <li>multiclass_classifier: {@value #PROBABILITIES} float [N, K] = softmax(margins); {@value #LABEL} int64 [N],
 *       the most probable class (the first on ties);</li>
 *   <li>regressor: {@value #SCORE} float [N], the prediction in label units.</li>
 * </ul>
 * The graph is IsNaN/Where (missing -> mean), Sub (centre), MatMul + Add, then the link function. The feature
 * scale (and, for regression, the label scale and mean) is folded into the weights and bias. The centring stays a
 * separate Sub: folding the means into the bias would subtract two large numbers for a feature whose mean is large
 * against its spread, and lose the digits that the Java predictor keeps. The binary link is written out as
 * 1 / (1 + exp(-margin)), as the Java predictor computes it, rather than ONNX Runtime's Sigmoid kernel, whose
 * approximation is good to ~1e-7 absolute only, so that it lost the relative precision of small probabilities
 * (measured on breast_cancer: a score of ~1e-7 off by 100%; written out, within 2e-6 relative).
 */
public final class LinearOnnx {
  static final String INPUT = "features";
  static final String SCORE = "score";
  static final String PROBABILITIES = "probabilities";
  static final String LABEL = "predicted_label";

  private LinearOnnx() {}

  /** Writes {@code model} to {@code file} (normally {@code model/model.onnx}, which training writes itself). */
  public static void write(LinearModel model, Path file) {
    OnnxModelWriter.write(graph(model), "Sagebox linear-learner " + model.predictorType() + ": " + INPUT + " [N,"
        + model.features() + "] float", file);
  }

  static OnnxGraph graph(LinearModel m) {
    int f = m.features();
    int k = m.outputs();
    boolean regression = m.type() == PredictorType.REGRESSOR;
    float[] w = new float[f * k];
    for (int j = 0; j < f; j++) {
      for (int c = 0; c < k; c++) {
        double v = (double) m.weights()[j * k + c] / m.featureScale()[j];
        w[j * k + c] = (float) (regression ? v * m.labelScale() : v);
      }
    }
    float[] b = new float[k];
    for (int c = 0; c < k; c++) {
      b[c] = regression ? (float) ((double) m.bias()[c] * m.labelScale() + m.labelMean()) : m.bias()[c];
    }

    OnnxGraph g = new OnnxGraph("sagebox_linear_learner");
    g.input(INPUT, DataType.FLOAT, OnnxGraph.BATCH, Dim.of(f));
    String mean = g.floats("feature_mean", m.featureMean(), f);
    String weights = g.floats("weights", w, f, k);
    String bias = g.floats("bias", b, k);
    String missing = g.node("IsNaN", List.of(INPUT), "missing");
    String filled = g.node("Where", List.of(missing, mean, INPUT), "filled");
    String centred = g.node("Sub", List.of(filled, mean), "centred");
    String product = g.node("MatMul", List.of(centred, weights), "product");
    String margins = g.node("Add", List.of(product, bias), "margins");
    switch (m.type()) {
      case BINARY -> {
        String negated = g.node("Neg", List.of(margins), "negated");
        String odds = g.node("Exp", List.of(negated), "inverse_odds");
        String one = g.floats("one", new float[] {1f});
        String denominator = g.node("Add", List.of(odds, one), "denominator");
        String p = g.node("Reciprocal", List.of(denominator), "p1");
        g.node("Reshape", List.of(p, flatShape(g)), SCORE);
        String threshold = g.floats("threshold", new float[] {m.threshold()});
        String above = g.node("Greater", List.of(SCORE, threshold), "above_threshold");
        g.node("Cast", List.of(above), LABEL, new Attribute.Int("to", DataType.INT64.getNumber()));
        g.output(SCORE, DataType.FLOAT, OnnxGraph.BATCH);
        g.output(LABEL, DataType.INT64, OnnxGraph.BATCH);
      }
      case MULTICLASS -> {
        g.node("Softmax", List.of(margins), PROBABILITIES, new Attribute.Int("axis", 1));
        g.node("ArgMax", List.of(PROBABILITIES), LABEL, new Attribute.Int("axis", 1),
            new Attribute.Int("keepdims", 0));
        g.output(PROBABILITIES, DataType.FLOAT, OnnxGraph.BATCH, Dim.of(k));
        g.output(LABEL, DataType.INT64, OnnxGraph.BATCH);
      }
      case REGRESSOR -> {
        g.node("Reshape", List.of(margins, flatShape(g)), SCORE);
        g.output(SCORE, DataType.FLOAT, OnnxGraph.BATCH);
      }
    }
    return g;
  }

  /** The shape [-1]: [N, 1] -> [N]. */
  private static String flatShape(OnnxGraph g) {
    return g.longs("flat_shape", new long[] {-1}, 1);
  }
}
