package dev.sagebox.engine.linear;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.HostChecks;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Algorithm;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.NativeWarmUp;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingRequest;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SageMaker's linear learner on ND4J: binary and multiclass classification and regression, several models trained
 * in parallel, the best chosen on validation data, the binary threshold calibrated by the selection criterion.
 * The model folder holds the model as JSON and as {@code model.onnx} ({@link LinearOnnx}); a folder with
 * {@code model.onnx} is served through ONNX Runtime unless the options ask for the native runtime.
 */
public final class LinearLearnerAlgorithm implements Algorithm {
  public static final String NAME = "linear-learner";
  private final String sageboxVersion;

  public LinearLearnerAlgorithm(String sageboxVersion) {
    this.sageboxVersion = sageboxVersion;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelManifest train(TrainingRequest request) {
    LinearParams p = LinearParams.parse(request.hyperparameters(), request.listener()::warn);
    ChannelInput train = request.requireChannel("train");
    // ND4J's native start-up (about a second on two cores) runs while the channels are parsed.
    NativeWarmUp nd4j = NativeWarmUp.start("nd4j", () -> Nd4j.scalar(DataType.FLOAT, 0f));
    ChannelLoader loader = new ChannelLoader(request.threads(), request.stopRequested());
    Collective hosts = request.collective();
    HostChecks.sameChannels(hosts, "validation", request.channels().containsKey("validation"));
    LinearTrainer.Rows trainRows = null;
    LinearTrainer.Rows validRows = null;
    LinearTrainer.Rows testRows = null;
    int d = 0;
    RuntimeException failure = null;
    try {
      LabeledData trainData = loader.load(train, false);
      d = p.featureDim() != null ? p.featureDim() : trainData.features().columns();
      if (p.featureDim() != null && trainData.features() instanceof DenseBatch
          && trainData.features().columns() != d) {
        throw new UserError("hyperparameter 'feature_dim' is " + d + " but channel 'train' has "
            + trainData.features().columns() + " features");
      }
      trainRows = rows("train", trainData, d, p);
      validRows = channel(request, loader, "validation", d, p);
      testRows = channel(request, loader, "test", d, p);
    } catch (RuntimeException e) {
      failure = e;
    }
    HostChecks.loaded(hosts, failure);
    HostChecks.same(hosts, "the feature count", d, "every host's files need the same columns (label first, then "
        + "the same features), or set feature_dim");
    HostChecks.rows(hosts, "train", trainRows.n(), request.listener()::info);
    if (validRows != null) {
      HostChecks.rows(hosts, "validation", validRows.n(), request.listener()::info);
    }
    request.listener().info(String.format(Locale.ROOT, "linear-learner %s: %d rows x %d features, %d model(s), "
        + "loss %s, optimizer %s, %d epoch(s) of mini-batches of %d", p.type().wireName(), trainRows.n(), d,
        p.models(), p.loss(), p.optimizer(), p.epochs(), p.miniBatchSize()));
    String host = hosts.host();
    nd4j.await();
    long t0 = System.nanoTime();
    int width = d;
    // Pipe mode: as the built-in, every epoch reads its own pipe (train_0, train_1, ...).
    java.util.function.IntFunction<LinearTrainer.Rows> nextEpochs = !train.pipe() ? null : epoch -> {
      request.listener().info("epoch " + epoch + ": reading " + train.pipeFor(epoch).getFileName() + " (Pipe mode)");
      return rows("train", loader.loadPipe(train, epoch, false), width, p);
    };
    LinearTrainer.Result result = new LinearTrainer(p, request.listener(), host, request.threads(), hosts)
        .train(trainRows, nextEpochs, validRows, request.stopRequested());
    if (hosts.any(request.stopRequested().getAsBoolean())) {
      throw new TrainingInterrupted("stopped on request after " + result.epochs() + " epoch(s); no model saved",
          false);
    }
    request.listener().info(String.format(Locale.ROOT, "trained %d epoch(s) in %.2f s; chose model #%d (learning "
        + "rate %.3g, wd %.3g)%s", result.epochs(), (System.nanoTime() - t0) / 1e9, result.modelIndex(),
        p.learningRates()[result.modelIndex()], p.weightDecays()[result.modelIndex()],
        p.type() == PredictorType.BINARY ? ", threshold " + result.model().threshold() : ""));
    LinearModel model = result.model();
    ModelManifest manifest = manifest(model);
    LinearPredictor chosen = new LinearPredictor(model, manifest, java.util.List.of());
    if (validRows != null) {
      FinalScores.log(request.listener(), host, "validation", chosen, validRows);
    }
    if (testRows != null) {
      FinalScores.log(request.listener(), host, "test", chosen, testRows);
    }
    try {
      Files.createDirectories(request.modelDir());
    } catch (java.io.IOException e) {
      throw new dev.sagebox.engine.error.PlatformError("cannot create " + request.modelDir(), e);
    }
    model.write(request.modelDir());
    LinearOnnx.write(model, request.modelDir().resolve(OnnxModelWriter.FILE_NAME));
    manifest.write(request.modelDir());
    return manifest;
  }

  private ModelManifest manifest(LinearModel model) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("predictor_type", model.predictorType());
    details.put("loss", model.loss());
    if (model.type() == PredictorType.BINARY) {
      details.put("threshold", Float.toString(model.threshold()));
    }
    Integer classes = switch (model.type()) {
      case MULTICLASS -> Integer.valueOf(model.outputs());
      case BINARY -> Integer.valueOf(2);
      case REGRESSOR -> null;
    };
    return new ModelManifest(ModelManifest.CURRENT_FORMAT, NAME, LinearModel.FILE_NAME, model.features(),
        model.predictorType(), classes, sageboxVersion, details);
  }

  private static LinearTrainer.Rows channel(TrainingRequest request, ChannelLoader loader, String name, int d,
      LinearParams p) {
    ChannelInput c = request.channels().get(name);
    return c == null ? null : rows(name, loader.load(c, false), d, p);
  }

  /** Dense rows of width d (libsvm rows are widened, absent entries zero); labels checked against the task. */
  private static LinearTrainer.Rows rows(String channel, LabeledData data, int d, LinearParams p) {
    dev.sagebox.engine.data.FiniteValues.require(data);
    Batch f = data.features();
    float[] x;
    if (f instanceof DenseBatch dense) {
      if (dense.columns() != d) {
        throw new UserError("channel '" + channel + "' has " + dense.columns() + " features; expected " + d
            + " (as channel 'train' or feature_dim)");
      }
      x = dense.values();
    } else {
      SparseBatch s = (SparseBatch) f;
      if (s.columns() > d) {
        throw new UserError("channel '" + channel + "' has feature index " + (s.columns() - 1) + "; feature_dim is "
            + d);
      }
      x = s.toDense(d);
    }
    float[] y = data.labels();
    for (int i = 0; i < y.length; i++) {
      float v = y[i];
      String rule = switch (p.type()) {
        case BINARY -> v == 0f || v == 1f ? null : "labels must be 0 or 1 for binary_classifier";
        case MULTICLASS -> v == Math.rint(v) && v >= 0 && v < p.numClasses() ? null
            : "labels must be whole numbers 0 to " + (p.numClasses() - 1) + " for num_classes=" + p.numClasses();
        case REGRESSOR -> Float.isFinite(v) ? null : "labels must be finite numbers";
      };
      if (rule != null) {
        String where = data.origins() != null ? data.origins().describe(i)
            : "channel '" + channel + "', row " + (i + 1);
        throw new UserError(where + ": label " + v + " is invalid (" + rule + ")");
      }
    }
    return new LinearTrainer.Rows(x, data.rows(), d, y, data.weights());
  }

  @Override
  public Predictor load(Path modelDir, ModelManifest manifest, PredictorOptions options) {
    if (manifest == null) {
      throw new UserError("a linear-learner model folder needs its " + ModelManifest.FILE_NAME);
    }
    LinearModel model = LinearModel.read(modelDir.resolve(manifest.modelFile()));
    if (model.features() != manifest.featureCount()) {
      // Checked here, not at the first request (which got a 400 for the right width and a 500 for the stated one).
      throw new UserError(ModelManifest.FILE_NAME + " says " + manifest.featureCount() + " features but "
          + manifest.modelFile() + " holds weights for " + model.features() + "; the folder mixes files of different "
          + "models: train again or restore it");
    }
    Optional<Path> onnx = options.onnxModel(modelDir, manifest);
    if (onnx.isPresent()) {
      return OnnxLinearPredictor.open(onnx.get(), model, manifest, options);
    }
    return new LinearPredictor(model, manifest, options.selectedOutputs());
  }
}
