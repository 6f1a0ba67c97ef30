package dev.sagebox.engine.lenet;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.HostChecks;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Algorithm;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingRequest;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * LeNet on MNIST-style digits with an ND4J SameDiff graph (the oneDNN CPU build by default; the CUDA backend via a
 * Maven profile). Models are written as {@value LeNetWeightsFile#NAME}; a {@value LegacyLeNetZip#NAME} of earlier
 * releases (DL4J) still loads, converted.
 */
public final class LeNetAlgorithm implements Algorithm {
  public static final String NAME = "lenet";
  static final String MODEL_FILE = LeNetWeightsFile.NAME;
  private final String sageboxVersion;

  public LeNetAlgorithm(String sageboxVersion) {
    this.sageboxVersion = sageboxVersion;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelManifest train(TrainingRequest request) {
    LeNetParams p = LeNetParams.parse(request.hyperparameters(), request.listener()::warn);
    ChannelInput trainChannel = request.requireChannel("train");
    for (ChannelInput c : request.channels().values()) {
      if (c.pipe()) {
        throw new dev.sagebox.engine.error.UserError("channel '" + c.name() + "' uses TrainingInputMode Pipe, which"
            + " lenet does not read (its images come as files); use File or FastFile");
      }
    }
    Collective hosts = request.collective();
    ChannelInput v = request.channels().getOrDefault("validation", request.channels().get("test"));
    HostChecks.sameChannels(hosts, "validation (or test)", v != null);
    Images train = null;
    Images validation = null;
    RuntimeException failure = null;
    try {
      train = ImageReader.read("train", trainChannel.files());
      validation = v == null ? null : ImageReader.read(v.name(), v.files());
    } catch (RuntimeException e) {
      failure = e;
    }
    HostChecks.loaded(hosts, failure);
    HostChecks.rows(hosts, "train", train.count(), request.listener()::info);
    if (validation != null) {
      HostChecks.rows(hosts, v.name(), validation.count(), request.listener()::info);
    }
    if (hosts.distributed()) {
      request.listener().info("several hosts: " + hosts.size() + " hosts step on their own images; gradients "
          + "averaged over them every iteration (each host's batch of " + p.batchSize() + " is part of a global "
          + "batch of " + p.batchSize() * hosts.size() + ")");
    }
    LeNetWeights initial = null;
    ChannelInput modelChannel = request.channels().get("model");
    if (modelChannel != null) {
      Path file = modelChannel.files().stream().filter(f -> isModelFile(f.getFileName().toString()))
          .findFirst().orElseThrow(() -> new UserError("channel 'model' has no " + MODEL_FILE + " or "
              + LegacyLeNetZip.NAME + " (an earlier Sagebox LeNet model) to continue training from"));
      initial = restore(file);
      request.listener().info("incremental training: starting from " + file);
    }
    request.listener().info(String.format(Locale.ROOT, "lenet: %d training images%s, %d epoch(s), batch %d, %s lr %g",
        train.count(), validation == null ? "" : ", " + validation.count() + " validation", p.epochs(),
        p.batchSize(), p.optimizer(), p.learningRate()));
    LeNetTrainer.Outcome outcome = new LeNetTrainer(p, request.listener(), request.checkpointDir(),
        request.stopRequested(), hosts).train(train, validation, initial);
    ModelManifest manifest = save(outcome, request.modelDir(), validation);
    if (outcome.interrupted()) {
      throw new TrainingInterrupted("stopped on request in epoch " + outcome.epochsDone() + "; checkpoint and "
          + "partial model saved", true);
    }
    return manifest;
  }

  private ModelManifest save(LeNetTrainer.Outcome outcome, Path modelDir, Images validation) {
    try {
      Files.createDirectories(modelDir);
      LeNetWeights weights = outcome.network().weights();
      LeNetWeightsFile.write(weights, modelDir.resolve(MODEL_FILE));
      // The portable copy: served through ONNX Runtime by default, and usable by any ONNX runtime.
      LeNetOnnx.write(weights, modelDir.resolve(OnnxModelWriter.FILE_NAME));
    } catch (IOException e) {
      throw new PlatformError("cannot write " + modelDir.resolve(MODEL_FILE) + ": " + e.getMessage(), e);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("epochs_trained", Integer.toString(outcome.epochsDone()));
    details.put("input", "28x28 grayscale, row-major, 0-255 or 0-1");
    ModelManifest m = new ModelManifest(ModelManifest.CURRENT_FORMAT, NAME, MODEL_FILE, Images.SIZE, "softmax",
        Images.CLASSES, sageboxVersion, details);
    m.write(modelDir);
    return m;
  }

  private static boolean isModelFile(String name) {
    return name.equals(MODEL_FILE) || name.equals(LegacyLeNetZip.NAME);
  }

  /** The weights of a model file: this release's, or an earlier release's DL4J zip (converted). */
  static LeNetWeights restore(Path file) {
    return file.getFileName().toString().equals(LegacyLeNetZip.NAME) ? LegacyLeNetZip.read(file)
        : LeNetWeightsFile.read(file);
  }

  @Override
  public Predictor load(Path modelDir, ModelManifest manifest, PredictorOptions options) {
    if (manifest == null) {
      throw new UserError("a LeNet model folder needs its " + ModelManifest.FILE_NAME);
    }
    if (!options.selectedOutputs().isEmpty()) {
      throw new UserError("SAGEMAKER_INFERENCE_OUTPUT is not supported for lenet (it answers predicted_label and "
          + "probabilities)");
    }
    Path file = modelDir.resolve(manifest.modelFile());
    if (!isModelFile(file.getFileName().toString())) {
      throw new UserError("the manifest names " + manifest.modelFile() + " as the LeNet model; expected " + MODEL_FILE
          + " (or " + LegacyLeNetZip.NAME + " from an earlier release)");
    }
    java.util.Optional<Path> onnx = options.onnxModel(modelDir, manifest);
    if (onnx.isPresent()) {
      return OnnxLeNetPredictor.open(onnx.get(), manifest, options);
    }
    return new LeNetPredictor(restore(file), LeNetPredictor.defaultCopies(), manifest);
  }
}
