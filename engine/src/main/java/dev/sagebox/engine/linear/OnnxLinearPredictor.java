package dev.sagebox.engine.linear;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.error.UserError;
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
    OnnxLinearPredictor p = new OnnxLinearPredictor(session, model, manifest, outputs);
    try {
      p.agreesWith(new LinearPredictor(model, manifest, options.selectedOutputs()), onnxFile.getFileName());
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** A column's numbers in one array (null for other kinds). */
  private static float[] flat(dev.sagebox.engine.model.Column c) {
    if (c instanceof dev.sagebox.engine.model.Column.Scalars s) {
      return s.values();
    }
    if (c instanceof dev.sagebox.engine.model.Column.Vectors v) {
      int n = 0;
      for (float[] row : v.values()) {
        n += row.length;
      }
      float[] out = new float[n];
      int at = 0;
      for (float[] row : v.values()) {
        System.arraycopy(row, 0, out, at, row.length);
        at += row.length;
      }
      return out;
    }
    return null;
  }

  /**
   * The ONNX file must compute what the model's own weights compute: a file swapped for another model (of another
   * width, or the same) is refused when the model loads, not answered with 500s or wrong scores.
   */
  private void agreesWith(LinearPredictor reference, Path name) {
    int d = model.features();
    float[] probe = new float[4 * d];
    for (int i = 0; i < probe.length; i++) {
      probe[i] = (float) Math.sin(i * 0.7 + 0.3);
    }
    dev.sagebox.engine.data.DenseBatch batch = new dev.sagebox.engine.data.DenseBatch(4, d, probe);
    dev.sagebox.engine.model.Predictions ours;
    try {
      ours = predict(batch);
    } catch (RuntimeException e) {
      throw new UserError(name + " does not fit " + manifest.modelFile() + " (" + d + " features): " + e.getMessage(),
          e);
    }
    dev.sagebox.engine.model.Predictions expected = reference.predict(batch);
    for (Map.Entry<String, dev.sagebox.engine.model.Column> c : expected.columns().entrySet()) {
      float[] want = flat(c.getValue());
      float[] got = flat(ours.columns().get(c.getKey()));
      if (want == null || got == null) {
        continue;
      }
      for (int i = 0; i < want.length; i++) {
        if (got.length != want.length || !(Math.abs(want[i] - got[i]) <= 1e-4 * Math.max(1, Math.abs(want[i])))) {
          throw new UserError(name + " does not compute what " + manifest.modelFile() + " holds ('" + c.getKey()
              + "' of a probe row differs); the folder mixes files of different models: train again or restore it");
        }
      }
    }
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
