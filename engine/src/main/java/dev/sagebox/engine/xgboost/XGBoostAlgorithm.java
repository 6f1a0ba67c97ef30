package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Algorithm;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Gradient-boosted trees through xgboost4j, compatible with SageMaker's built-in XGBoost. */
public final class XGBoostAlgorithm implements Algorithm {
  public static final String NAME = "xgboost";
  private final String sageboxVersion;
  private final Consumer<String> warnings;

  /**
   * @param sageboxVersion written into manifests
   * @param warnings receives load-time warnings (outputs that do not apply, foreign models)
   */
  public XGBoostAlgorithm(String sageboxVersion, Consumer<String> warnings) {
    this.sageboxVersion = sageboxVersion;
    this.warnings = warnings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelManifest train(TrainingRequest request) {
    XGBoostParams params = XGBoostParams.parse(request.hyperparameters(), request.listener()::warn);
    ModelManifest manifest = new XGBoostTrainer(request, params).run(sageboxVersion);
    manifest.write(request.modelDir());
    return manifest;
  }

  @Override
  public Predictor load(Path modelDir, ModelManifest manifest, PredictorOptions options) {
    Path file = manifest != null ? modelDir.resolve(manifest.modelFile()) : findModelFile(modelDir);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PlatformError("cannot read model file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length > 0 && (bytes[0] & 0xff) == 0x80) {
      throw new UserError(file + " is a Python pickle (SageMaker XGBoost before 1.3 saved models that way); "
          + "load it in Python and re-save it with Booster.save_model('xgboost-model')");
    }
    Booster booster;
    try {
      booster = XGBoost.loadModel(bytes);
      booster.setParam("nthread", Math.max(1, options.threadsPerPrediction()));
    } catch (XGBoostError | IOException e) {
      throw new UserError(file + " is not a model XGBoost can load: " + XGBoostTrainer.firstLine(e.getMessage()), e);
    }
    try {
      ModelManifest effective = manifest != null ? manifest : describe(booster, file);
      String objective = effective.objective();
      ObjectiveKind kind = ObjectiveKind.of(objective);
      int numClass = effective.classCount() == null ? 0 : effective.classCount();
      XGBoostOutputs outputs = new XGBoostOutputs(kind, numClass, options.selectedOutputs(), objective, warnings);
      return new XGBoostPredictor(booster, effective, outputs);
    } catch (RuntimeException e) {
      booster.dispose();
      throw e;
    }
  }

  /** Picks the model file of a folder without a manifest, as SageMaker's XGBoost container writes it. */
  static Path findModelFile(Path modelDir) {
    Path standard = modelDir.resolve(XGBoostTrainer.MODEL_FILE);
    if (Files.isRegularFile(standard)) {
      return standard;
    }
    List<Path> candidates;
    try (var s = Files.list(modelDir)) {
      candidates = s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new PlatformError("cannot list model folder " + modelDir + ": " + e.getMessage(), e);
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new UserError("model folder " + modelDir + " has no " + ModelManifest.FILE_NAME + " and no '"
        + XGBoostTrainer.MODEL_FILE + "'" + (candidates.isEmpty() ? " (it is empty)"
        : "; it holds " + candidates.size() + " files, so which one is the model is unclear: "
            + candidates.stream().map(p -> p.getFileName().toString()).toList()));
  }

  /** Reads objective, class count and feature count out of a foreign booster's JSON form. */
  private ModelManifest describe(Booster booster, Path file) {
    try {
      JsonNode learner = new ObjectMapper().readTree(booster.toByteArray("json")).path("learner");
      String objective = learner.path("objective").path("name").asText("reg:squarederror");
      int numClass = learner.path("learner_model_param").path("num_class").asInt(0);
      int features = (int) booster.getNumFeature();
      Integer classes = numClass > 1 ? numClass : (ObjectiveKind.of(objective).isBinary() ? 2 : null);
      warnings.accept("serving " + file.getFileName() + " without a " + ModelManifest.FILE_NAME + ": objective "
          + objective + ", " + features + " features (read from the model)");
      return new ModelManifest(ModelManifest.CURRENT_FORMAT, NAME, file.getFileName().toString(), features,
          objective, classes, sageboxVersion, Map.of("foreign_model", "true"));
    } catch (XGBoostError | IOException e) {
      throw new UserError("cannot read the configuration of " + file + ": " + e.getMessage(), e);
    }
  }
}
