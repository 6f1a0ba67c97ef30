package dev.sagebox.engine.lenet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.OnnxSessions;
import dev.sagebox.engine.onnx.OnnxTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a LeNet model through ONNX Runtime from the {@code model.onnx} that {@link LeNetOnnx} wrote. Requests are
 * read as by {@link LeNetPredictor}: rows of 784 pixels (28x28, row-major), values 0-255 scaled to 0-1, rows whose
 * values all lie within 0-1 taken as already scaled; the answer is {@code predicted_label} and
 * {@code probabilities}. ONNX Runtime sessions may be run from many threads at once, so nothing is serialised.
 */
final class OnnxLeNetPredictor implements Predictor {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxLeNetPredictor.class);
  private final OrtSession session;
  private final ModelManifest manifest;

  OnnxLeNetPredictor(OrtSession session, ModelManifest manifest) {
    this.session = session;
    this.manifest = manifest;
  }

  /**
   * Opens {@code onnxFile} (see {@link PredictorOptions#onnxModel}) with ONNX Runtime, using
   * {@link PredictorOptions#threadsPerPrediction()} intra-op threads.
   */
  static OnnxLeNetPredictor open(Path onnxFile, ModelManifest manifest, PredictorOptions options) {
    return new OnnxLeNetPredictor(OnnxSessions.open(onnxFile, options.threadsPerPrediction(), LOG::info), manifest);
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Predictions predict(Batch batch) {
    float[] x = scaledPixels(batch);
    int n = batch.rows();
    float[] probs = new float[0];
    if (n > 0) {
      try (OnnxTensor images = OnnxTensors.floats(x, n, 1, Images.SIDE, Images.SIDE);
          OrtSession.Result result = OnnxTensors.run(session, Map.of(LeNetOnnx.INPUT, images),
              Set.of(LeNetOnnx.OUTPUT))) {
        probs = OnnxTensors.floats(result, LeNetOnnx.OUTPUT);
      }
    }
    float[][] rows = new float[n][];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      rows[r] = Arrays.copyOfRange(probs, r * Images.CLASSES, (r + 1) * Images.CLASSES);
      int best = 0;
      for (int c = 1; c < Images.CLASSES; c++) {
        if (rows[r][c] > rows[r][best]) {
          best = c;
        }
      }
      labels[r] = best;
    }
    Map<String, Column> cols = new LinkedHashMap<>();
    cols.put("predicted_label", new Column.Integers(labels));
    cols.put("probabilities", new Column.Vectors(rows));
    return new Predictions(n, cols, false);
  }

  /**
   * The network's input for {@code batch}: {@code rows x 784} pixels scaled to 0-1, with the checks and messages of
   * {@link LeNetPredictor} (duplicated from it rather than shared, because that class is not to be edited here).
   */
  static float[] scaledPixels(Batch batch) {
    if (!(batch instanceof DenseBatch d)) {
      throw new UserError("LeNet takes dense pixel rows (CSV, JSON or an image), not sparse libsvm rows");
    }
    int n = d.rows();
    float[] x = Arrays.copyOf(d.values(), n * Images.SIZE);
    for (int r = 0; r < n; r++) {
      float max = 0;
      for (int k = 0; k < Images.SIZE; k++) {
        float v = x[r * Images.SIZE + k];
        if (Float.isNaN(v) || v < 0 || v > 255) {
          throw new UserError("instance " + (r + 1) + ", pixel " + (k + 1) + ": " + v + " is not a pixel value "
              + "(accepted: 0-255, or 0-1 for an already scaled image)");
        }
        max = Math.max(max, v);
      }
      if (max > 1f) {
        for (int k = 0; k < Images.SIZE; k++) {
          x[r * Images.SIZE + k] /= 255f;
        }
      }
    }
    return x;
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
