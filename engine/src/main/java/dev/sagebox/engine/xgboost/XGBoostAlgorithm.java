package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import dev.sagebox.engine.xgboost.trees.TreeEnsemble;
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
    boolean bare = manifest == null;
    List<Path> files = bare ? XGBoostModelFiles.inBareFolder(modelDir, warnings)
        : XGBoostModelFiles.fromManifest(modelDir, manifest);
    List<Booster> boosters = new ArrayList<>();
    List<Path> loaded = new ArrayList<>();
    try {
      List<String> refused = new ArrayList<>();
      for (Path file : files) {
        if (!options.ensemble() && !boosters.isEmpty()) {
          warnings.accept("SAGEMAKER_INFERENCE_ENSEMBLE=false: not loading " + file.getFileName()
              + " (serving only " + loaded.get(0).getFileName() + ")");
          continue;
        }
        try {
          boosters.add(loadBooster(file, options));
          loaded.add(file);
        } catch (UserError e) {
          if (!bare || files.size() == 1) {
            throw e;
          }
          refused.add(e.getMessage());
          warnings.accept("model folder: not using " + file.getFileName() + ": " + e.getMessage());
        }
      }
      if (boosters.isEmpty()) {
        throw new UserError("model folder " + modelDir + " holds no file XGBoost can load: "
            + String.join("; ", refused));
      }
      ModelManifest effective = bare ? describe(boosters.get(0), loaded.get(0)) : manifest;
      if (!bare) {
        long actual = numFeature(boosters.get(0), loaded.get(0));
        if (actual != manifest.featureCount()) {
          throw new UserError(ModelManifest.FILE_NAME + " says " + manifest.featureCount() + " features but "
              + loaded.get(0).getFileName() + " takes " + actual + "; the folder mixes files of different models: "
              + "train again or restore it");
        }
      }
      for (int i = 1; i < boosters.size(); i++) {
        checkSameModelKind(effective, boosters.get(i), loaded.get(i), loaded.get(0));
      }
      if (boosters.size() > 1) {
        warnings.accept("serving an ensemble of " + boosters.size() + " models "
            + loaded.stream().map(p -> p.getFileName().toString()).toList() + ": "
            + (ObjectiveKind.of(effective.objective()).votes() ? "majority vote" : "mean of the predictions")
            + " (SAGEMAKER_INFERENCE_ENSEMBLE=false serves the first only)");
      }
      String objective = effective.objective();
      ObjectiveKind kind = ObjectiveKind.of(objective);
      int numClass = effective.classCount() == null ? 0 : effective.classCount();
      XGBoostOutputs outputs = new XGBoostOutputs(kind, numClass, options.selectedOutputs(), objective, warnings);
      List<TreeEnsemble> small = SmallBatchEvaluators.of(boosters, loaded, effective.featureCount(), warnings);
      return new XGBoostPredictor(boosters, small, effective, outputs, kind.votes());
    } catch (RuntimeException e) {
      boosters.forEach(Booster::dispose);
      throw e;
    }
  }

  private static Booster loadBooster(Path file, PredictorOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("model file " + file.getFileName() + " is not a regular file (a folder, pipe or device); "
          + "the model file is the one XGBoost saved");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PlatformError("cannot read model file " + file + ": " + e.getMessage(), e);
    }
    Booster booster;
    if (LegacyBinaryModel.isLegacyBinary(bytes)) {
      // XGBoost 1.x's binary format (SageMaker's XGBoost 1.0-1 .. 1.7-1 wrote it): converted to JSON, which XGBoost 3
      // reads; the converter's errors say where the file is damaged.
      byte[] json = LegacyBinaryModel.toJson(bytes, file.getFileName().toString());
      try {
        booster = XGBoost.loadModel(json);
      } catch (XGBoostError | IOException e) {
        throw new UserError(file.getFileName() + " (XGBoost's legacy binary format, converted to JSON) cannot be "
            + "loaded: " + XGBoostTrainer.firstLine(e.getMessage()), e);
      }
    } else {
      ModelStructure.check(bytes, String.valueOf(file.getFileName()));
      try {
        booster = XGBoost.loadModel(bytes);
      } catch (XGBoostError | IOException e) {
        throw new UserError(XGBoostModelFiles.diagnose(file, bytes, XGBoostTrainer.firstLine(e.getMessage())), e);
      }
    }
    try {
      booster.setParam("nthread", Math.max(1, options.threadsPerPrediction()));
      return booster;
    } catch (XGBoostError e) {
      booster.dispose();
      throw new UserError(file.getFileName() + ": XGBoost refused nthread: " + e.getMessage(), e);
    }
  }

  private static long numFeature(Booster b, Path file) {
    try {
      return b.getNumFeature();
    } catch (XGBoostError e) {
      throw new UserError("cannot read the feature count of " + file.getFileName() + ": "
          + XGBoostTrainer.firstLine(e.getMessage()), e);
    }
  }

  /** Every member of an ensemble must take the same features and answer the same task. */
  private void checkSameModelKind(ModelManifest first, Booster other, Path file, Path firstFile) {
    ModelManifest m = describeQuietly(other, file);
    if (m.featureCount() != first.featureCount() || !m.objective().equals(first.objective())
        || !java.util.Objects.equals(m.classCount(), first.classCount())) {
      throw new UserError("model folder: " + file.getFileName() + " (" + m.objective() + ", " + m.featureCount()
          + " features" + (m.classCount() == null ? "" : ", " + m.classCount() + " classes") + ") does not match "
          + firstFile.getFileName() + " (" + first.objective() + ", " + first.featureCount() + " features"
          + (first.classCount() == null ? "" : ", " + first.classCount() + " classes") + "); the files of an "
          + "ensemble must be models of the same task; remove the odd one or serve it from its own folder");
    }
  }

  private ModelManifest describe(Booster booster, Path file) {
    ModelManifest m = describeQuietly(booster, file);
    warnings.accept("serving " + file.getFileName() + " without a " + ModelManifest.FILE_NAME + ": objective "
        + m.objective() + ", " + m.featureCount() + " features (read from the model)");
    return m;
  }

  /** Reads objective, class count and feature count out of a booster's JSON form. */
  private ModelManifest describeQuietly(Booster booster, Path file) {
    try {
      JsonNode learner = BaseModel.learnerOf(booster);
      String objective = learner.path("objective").path("name").asText("reg:squarederror");
      int numClass = learner.path("learner_model_param").path("num_class").asInt(0);
      int features = (int) booster.getNumFeature();
      Integer classes;
      if (numClass > 1) {
        classes = numClass;
      } else if (ObjectiveKind.of(objective).isBinary()) {
        classes = 2;
      } else {
        classes = null;
      }
      return new ModelManifest(ModelManifest.CURRENT_FORMAT, NAME, file.getFileName().toString(), features,
          objective, classes, sageboxVersion, Map.of("foreign_model", "true"));
    } catch (XGBoostError | IOException e) {
      throw new UserError("cannot read the configuration of " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
