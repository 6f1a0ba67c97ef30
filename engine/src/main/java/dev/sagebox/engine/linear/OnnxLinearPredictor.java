package dev.sagebox.engine.linear;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.OnnxSessions;
import dev.sagebox.engine.onnx.OnnxTensors;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a linear-learner model through ONNX Runtime from the {@code model.onnx} that {@link LinearOnnx} wrote, with
 * the answers of {@link LinearPredictor}: the same columns, selected outputs and errors; the numbers agree to float
 * rounding (ONNX Runtime sums the dot products in another order). Safe to call from many threads at once.
 */
final class OnnxLinearPredictor implements Predictor {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxLinearPredictor.class);
  private final OrtSession session;
  private final LinearModel model;
  private final ModelManifest manifest;
  private final LinearOutputs outputs;
  private final Set<String> fetched;

  OnnxLinearPredictor(OrtSession session, LinearModel model, ModelManifest manifest, LinearOutputs outputs) {
    this.session = session;
    this.model = model;
    this.manifest = manifest;
    this.outputs = outputs;
    Set<String> names = new HashSet<>();
    if (outputs.wants("score")) {
      names.add(model.type() == PredictorType.MULTICLASS ? LinearOnnx.PROBABILITIES : LinearOnnx.SCORE);
    }
    if (outputs.wants("predicted_label")) {
      names.add(LinearOnnx.LABEL);
    }
    this.fetched = Set.copyOf(names);
  }

  /**
   * Opens {@code onnxFile} for {@code model} with {@link PredictorOptions#threadsPerPrediction()} intra-op threads;
   * selected outputs are checked first, with the Java predictor's message.
   */
  static OnnxLinearPredictor open(Path onnxFile, LinearModel model, ModelManifest manifest,
      PredictorOptions options) {
    LinearOutputs outputs = LinearOutputs.select(model, options.selectedOutputs());
    OrtSession session = OnnxSessions.open(onnxFile, options.threadsPerPrediction(), LOG::info);
    return new OnnxLinearPredictor(session, model, manifest, outputs);
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Predictions predict(Batch batch) {
    int rows = batch.rows();
    int d = model.features();
    int k = model.outputs();
    float[] x = LinearOutputs.denseRows(batch, d);
    float[] scores = k == 1 ? new float[rows] : null;
    float[][] probs = k == 1 ? null : new float[rows][];
    int[] labels = new int[rows];
    if (rows > 0) {
      try (OnnxTensor features = OnnxTensors.floats(x, rows, d);
          OrtSession.Result result = OnnxTensors.run(session, Map.of(LinearOnnx.INPUT, features), fetched)) {
        if (fetched.contains(LinearOnnx.SCORE)) {
          scores = OnnxTensors.floats(result, LinearOnnx.SCORE);
        }
        if (fetched.contains(LinearOnnx.PROBABILITIES)) {
          float[] flat = OnnxTensors.floats(result, LinearOnnx.PROBABILITIES);
          for (int r = 0; r < rows; r++) {
            probs[r] = java.util.Arrays.copyOfRange(flat, r * k, (r + 1) * k);
          }
        }
        if (fetched.contains(LinearOnnx.LABEL)) {
          long[] l = OnnxTensors.longs(result, LinearOnnx.LABEL);
          for (int r = 0; r < rows; r++) {
            labels[r] = (int) l[r];
          }
        }
      }
    }
    return outputs.predictions(rows, scores, probs, labels);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the ONNX Runtime session failed: {}", e.getMessage());
    }
  }
}
