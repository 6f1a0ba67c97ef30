package dev.sagebox.engine.lenet;

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
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a LeNet model through ONNX Runtime from the {@code model.onnx} that {@link LeNetOnnx} wrote, with the
 * requests and answers of {@link LeNetPredictor} ({@link LeNetRequests}). ONNX Runtime sessions may be run from many threads at once, so nothing is serialised.
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
    float[] x = LeNetRequests.scaledPixels(batch);
    int n = batch.rows();
    float[] probs = new float[0];
    if (n > 0) {
      try (OnnxTensor images = OnnxTensors.floats(x, n, 1, Images.SIDE, Images.SIDE);
          OrtSession.Result result = OnnxTensors.run(session, Map.of(LeNetOnnx.INPUT, images),
              Set.of(LeNetOnnx.OUTPUT))) {
        probs = OnnxTensors.floats(result, LeNetOnnx.OUTPUT);
      }
    }
    return LeNetRequests.answer(probs, n);
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
