package dev.sagebox.container.serve;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the model folder: the manifest names the algorithm; a folder without one (SageMaker's own XGBoost output)
 * is served as XGBoost.
 */
public final class ModelLoader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("sagebox.serve");
  private final AlgorithmRegistry registry;

  public ModelLoader(AlgorithmRegistry registry) {
    this.registry = registry;
  }

  public Predictor load(Path modelDir, PredictorOptions options) {
    if (!Files.isDirectory(modelDir)) {
      throw new UserError("model folder " + modelDir + " does not exist; mount a trained model there (docker run -v "
          + "DIR:/opt/ml/model) or set SM_MODEL_DIR");
    }
    String recovered = new ModelFolder(modelDir).recoverIfWritable();
    if (!recovered.isEmpty()) {
      LOG.warn("model folder: {}", recovered);
    }
    ModelManifest manifest = ModelManifest.readIfPresent(modelDir);
    if (manifest != null) {
      ModelFolder.verify(modelDir, manifest);
    }
    String algorithm = manifest != null ? manifest.algorithm() : "xgboost";
    return registry.get(algorithm).load(modelDir, manifest, options);
  }
}
