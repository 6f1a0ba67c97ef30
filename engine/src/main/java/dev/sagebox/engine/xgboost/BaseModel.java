package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An earlier XGBoost model given in the {@code model} channel, which training continues from (SageMaker's built-in
 * refuses that channel). Accepted: a Sagebox model folder ({@code sagebox-model.json} naming the file), a folder or
 * file as SageMaker's XGBoost writes it ({@code xgboost-model}), any single file XGBoost can load, or a
 * {@code model.tar.gz} holding one of these.
 *
 * @param source where the model came from, for messages ({@code model/xgboost-model})
 * @param rounds the rounds it holds; new rounds are numbered from there
 * @param numClass its number of classes (0 unless multi-class)
 */
record BaseModel(String source, byte[] bytes, int rounds, int features, String objective, int numClass) {
  static final String CHANNEL = "model";
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A new booster holding the model. */
  Booster booster() throws XGBoostError {
    try {
      return XGBoost.loadModel(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a model from memory", e);
    }
  }

  static BaseModel load(ChannelInput channel) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    Path root = channel.files().isEmpty() ? null : commonParent(channel.files());
    for (Path f : channel.files()) {
      String name = root == null ? f.getFileName().toString() : root.relativize(f).toString();
      byte[] bytes = ChannelFiles.read(f);
      if (TarEntries.isTar(bytes)) {
        TarEntries.read(bytes, CHANNEL + "/" + name).forEach((entry, content) -> files.put(name + "!/" + entry,
            content));
      } else {
        files.put(name, bytes);
      }
    }
    files.keySet().removeIf(k -> baseName(k).startsWith("."));
    if (files.isEmpty()) {
      throw new UserError("channel 'model' holds no files; give it the model to continue from (a Sagebox model "
          + "folder, an xgboost-model file or a model.tar.gz)");
    }
    ModelManifest manifest = null;
    String chosen = null;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      if (baseName(e.getKey()).equals(ModelManifest.FILE_NAME)) {
        if (manifest != null) {
          throw new UserError("channel 'model' holds two Sagebox models (" + chosen + " and another "
              + ModelManifest.FILE_NAME + " at " + e.getKey() + "); give it only the model to continue from");
        }
        manifest = manifest(e.getKey(), e.getValue());
        chosen = sibling(e.getKey(), manifest.modelFile());
        if (!files.containsKey(chosen)) {
          throw new UserError(CHANNEL + "/" + e.getKey() + " names model file '" + manifest.modelFile()
              + "', which is not in channel 'model' (it holds " + files.keySet() + ")");
        }
      }
    }
    if (chosen == null) {
      chosen = choose(files);
    }
    String source = CHANNEL + "/" + chosen;
    return describe(source, files.get(chosen), manifest);
  }

  private static String choose(Map<String, byte[]> files) {
    List<String> standard = new ArrayList<>();
    for (String k : files.keySet()) {
      if (baseName(k).equals(XGBoostTrainer.MODEL_FILE)) {
        standard.add(k);
      }
    }
    if (standard.size() == 1) {
      return standard.get(0);
    }
    if (files.size() == 1) {
      return files.keySet().iterator().next();
    }
    throw new UserError("channel 'model' holds " + files.size() + " files " + files.keySet() + " and no "
        + ModelManifest.FILE_NAME + " or single '" + XGBoostTrainer.MODEL_FILE + "' to say which is the model; "
        + "give it only the model to continue from");
  }

  private static ModelManifest manifest(String name, byte[] bytes) {
    ModelManifest m;
    try {
      m = JSON.readValue(bytes, ModelManifest.class);
    } catch (IOException e) {
      throw new UserError(CHANNEL + "/" + name + " is not a valid Sagebox manifest: " + e.getMessage(), e);
    }
    if (!XGBoostAlgorithm.NAME.equals(m.algorithm()) || m.modelFile() == null) {
      throw new UserError(CHANNEL + "/" + name + " describes a '" + m.algorithm() + "' model; training continues "
          + "only from an xgboost model");
    }
    String ensemble = m.details().get("ensemble_files");
    if (ensemble != null && ensemble.contains(",")) {
      throw new UserError(CHANNEL + "/" + name + " describes a k-fold ensemble (" + ensemble + "); training "
          + "continues from one model: put the one file you want alone in channel 'model'");
    }
    return m;
  }

  /** The {@code learner} part of a booster's JSON form (objective, learner_model_param). */
  static JsonNode learnerOf(Booster b) throws XGBoostError, IOException {
    return JSON.readTree(b.toByteArray("json")).path("learner");
  }

  private static BaseModel describe(String source, byte[] bytes, ModelManifest manifest) {
    if (bytes.length > 0 && (bytes[0] & 0xff) == 0x80) {
      throw new UserError(source + " is a Python pickle (SageMaker XGBoost before 1.3 saved models that way); load "
          + "it in Python and re-save it with Booster.save_model('xgboost-model') to continue from it");
    }
    if (LegacyBinaryModel.isLegacyBinary(bytes)) {
      // SageMaker's XGBoost 1.x wrote this format; served models are converted the same way.
      bytes = LegacyBinaryModel.toJson(bytes, source);
    }
    ModelStructure.check(bytes, source);
    Booster b = null;
    try {
      b = XGBoost.loadModel(bytes);
      int rounds = b.getNumBoostedRound();
      int features = (int) b.getNumFeature();
      String objective;
      int numClass;
      if (manifest != null) {
        objective = manifest.objective();
        numClass = manifest.classCount() != null && ObjectiveKind.of(objective).isMulti() ? manifest.classCount() : 0;
      } else {
        JsonNode learner = learnerOf(b);
        objective = learner.path("objective").path("name").asText("reg:squarederror");
        numClass = Integer.parseInt(learner.path("learner_model_param").path("num_class").asText("0"));
      }
      return new BaseModel(source, bytes, rounds, features, objective.equals("reg:linear") ? "reg:squarederror"
          : objective, numClass > 1 ? numClass : 0);
    } catch (XGBoostError | IOException | NumberFormatException e) {
      throw new UserError(source + " is not a model XGBoost can load: " + XGBoostTrainer.firstLine(e.getMessage()),
          e);
    } finally {
      if (b != null) {
        b.dispose();
      }
    }
  }

  /**
   * Checks the job against the model: same objective and number of classes, same features. Returns the feature
   * count the training matrices need.
   */
  int check(XGBoostParams params, int dataFeatures, boolean sparse) {
    if (!objective.equals(params.objective())) {
      throw new UserError("the model in channel 'model' (" + source + ") was trained with objective " + objective
          + ", but this job's objective is " + params.objective() + "; training continues only with the same "
          + "objective: set objective=" + objective);
    }
    int jobClasses = params.numClass() == null ? 0 : params.numClass();
    if (jobClasses != numClass) {
      throw new UserError("the model in channel 'model' (" + source + ") has num_class " + numClass + ", but this "
          + "job's num_class is " + jobClasses + "; training continues only with the same classes: set num_class="
          + numClass);
    }
    if (sparse ? dataFeatures > features : dataFeatures != features) {
      throw new UserError("the data has " + dataFeatures + " features but the model in channel 'model' (" + source
          + ") was trained on " + features + "; training continues only on the same features, in the same order");
    }
    return features;
  }

  private static Path commonParent(List<Path> files) {
    Path root = files.get(0).getParent();
    for (Path f : files) {
      while (root != null && !f.startsWith(root)) {
        root = root.getParent();
      }
    }
    return root;
  }

  private static String baseName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'));
    return path.substring(slash + 1);
  }

  private static String sibling(String path, String name) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'));
    return slash < 0 ? name : path.substring(0, slash + 1) + name;
  }
}
