package dev.sagebox.container.train;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.OptMlLayout;
import dev.sagebox.container.config.CheckpointConfig;
import dev.sagebox.container.config.HyperparameterFile;
import dev.sagebox.container.config.InputDataConfig;
import dev.sagebox.container.config.ResourceConfig;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.cluster.Cluster;
import dev.sagebox.container.cluster.ClusterSettings;
import dev.sagebox.container.cluster.DataDistribution;
import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.device.DeviceCheck;
import dev.sagebox.engine.device.DeviceRequest;
import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train}: reads the /opt/ml tree, trains the selected algorithm, writes the model, and reports the outcome
 * the SageMaker way ({@code output/success}, or {@code output/failure} plus a non-zero exit code).
 */
public final class TrainCommand {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.train");
  /** The algorithms that train on several hosts. */
  static final java.util.Set<String> SEVERAL_HOSTS = new java.util.TreeSet<>(java.util.Set.of("xgboost",
      "linear-learner", "lenet"));

  private final ContainerSettings settings;
  private final AlgorithmRegistry registry;
  private final PrintStream metricsOut;
  private final BooleanSupplier stopRequested;
  private final ClusterSettings clusterSettings;
  private final DeviceCheck devices;
  /** False on the hosts of a multi-host job other than the leader: they write no model. */
  private boolean writesModel = true;

  public TrainCommand(ContainerSettings settings, AlgorithmRegistry registry, PrintStream metricsOut,
      BooleanSupplier stopRequested) {
    this(settings, registry, metricsOut, stopRequested, ClusterSettings.fromEnv(Map.of()));
  }

  public TrainCommand(ContainerSettings settings, AlgorithmRegistry registry, PrintStream metricsOut,
      BooleanSupplier stopRequested, ClusterSettings clusterSettings) {
    this(settings, registry, metricsOut, stopRequested, clusterSettings, DeviceCheck.forThisProcess());
  }

  /** @param devices what this build and machine run on: logged at start, and a job's device checked against it */
  public TrainCommand(ContainerSettings settings, AlgorithmRegistry registry, PrintStream metricsOut,
      BooleanSupplier stopRequested, ClusterSettings clusterSettings, DeviceCheck devices) {
    this.devices = devices;
    this.settings = settings;
    this.registry = registry;
    this.metricsOut = metricsOut;
    this.stopRequested = stopRequested;
    this.clusterSettings = clusterSettings;
  }

  /** Runs the job and returns the process exit code. */
  public int run() {
    OptMlLayout layout = new OptMlLayout(settings.baseDir(), settings.modelDir());
    long t0 = System.nanoTime();
    // The model manifest's JSON is first written after the last round, on the critical path: prepared now, on the
    // core the start-up leaves idle.
    Thread json = new Thread(ModelManifest::prepareJson, "sagebox-manifest-json");
    json.setDaemon(true);
    json.start();
    if (!Files.isDirectory(layout.root())) {
      // Nothing is created there: a mistyped SAGEMAKER_BASE_DIR should not grow a tree of its own.
      LOG.error("training failed: the SageMaker tree {} does not exist; mount it (docker run -v DIR:/opt/ml) or set "
          + "SAGEMAKER_BASE_DIR", layout.root());
      return FailureReport.USER_ERROR;
    }
    Optional<TrainLock> lock;
    try {
      Files.createDirectories(layout.outputDir());
      lock = TrainLock.tryAcquire(layout.outputDir());
    } catch (IOException e) {
      LOG.error("training failed: the output folder {} cannot be used ({}); it must be a writable folder",
          layout.outputDir(), IoFailures.reason(e));
      return FailureReport.USER_ERROR;
    }
    if (lock.isEmpty()) {
      // The other training's markers and model are left alone.
      LOG.error("training failed: another training is running on {} (it holds {}); wait for it to end, or give "
          + "this one its own SAGEMAKER_BASE_DIR", layout.root(), layout.outputDir().resolve(TrainLock.FILE_NAME));
      return FailureReport.USER_ERROR;
    }
    try (TrainLock held = lock.get()) {
      return runLocked(layout, t0);
    }
  }

  private int runLocked(OptMlLayout layout, long t0) {
    try {
      Files.deleteIfExists(layout.failureFile());
      Files.deleteIfExists(layout.successFile());
      ModelManifest manifest = train(layout);
      Files.writeString(layout.successFile(), "");
      LOG.info(String.format(java.util.Locale.ROOT, "training finished in %.2f s; model (%s, %d features) %s",
          (System.nanoTime() - t0) / 1e9, manifest.algorithm(), manifest.featureCount(),
          writesModel ? "in " + layout.modelDir() : "written by the leader host, not by this one"));
      return 0;
    } catch (TrainingInterrupted e) {
      LOG.warn(e.getMessage());
      try {
        ModelFolder folder = modelFolder(layout);
        if (e.modelSaved() && writesModel) {
          folder.commit();
        } else {
          folder.recover();
        }
        return 0;
      } catch (RuntimeException saveFailed) {
        // The partial model could not be saved (a full disk): reported as any failure, with its failure file.
        return failed(layout, saveFailed);
      }
    } catch (Throwable t) {
      return failed(layout, t);
    }
  }

  /** Reports {@code t}: the log, output/failure, and the exit code. */
  private int failed(OptMlLayout layout, Throwable t) {
    discardStaging(layout);
    FailureReport report = FailureReport.of(t);
    if (report.exitCode() == FailureReport.INTERNAL_ERROR) {
      LOG.error("training failed: " + report.firstLine(), t);
    } else {
      LOG.error("training failed: {}", report.firstLine());
    }
    try {
      report.write(layout.failureFile());
    } catch (IOException io) {
      LOG.error("cannot write {}: {}", layout.failureFile(), io.getMessage());
    }
    return report.exitCode();
  }

  /**
   * The environment could not be read (an invalid SAGEBOX_ or SAGEMAKER_ variable): the failure goes where SageMaker
   * looks for it when the tree exists, and a success marker of an earlier run is removed. Returns the exit code.
   */
  public static int failBeforeStart(Path root, UserError e) {
    OptMlLayout layout = new OptMlLayout(root);
    if (Files.isDirectory(root)) {
      try {
        Files.createDirectories(layout.outputDir());
        Files.deleteIfExists(layout.successFile());
        FailureReport.of(e).write(layout.failureFile());
      } catch (IOException io) {
        LOG.error("cannot write {}: {}", layout.failureFile(), IoFailures.reason(io));
      }
    }
    return FailureReport.USER_ERROR;
  }

  private ModelManifest train(OptMlLayout layout) throws IOException {
    Map<String, String> raw = HyperparameterFile.read(layout.hyperparameters());
    InputDataConfig inputs = InputDataConfig.read(layout.inputDataConfig());
    ResourceConfig resources = ResourceConfig.read(layout.resourceConfig());
    AlgorithmSelector.Selection selection = AlgorithmSelector.select(raw, settings.algorithm());
    LOG.info("algorithm: {} (chosen by {}); {} hyperparameter(s); host {} of {}", selection.algorithm(),
        selection.reason(), selection.hyperparameters().size(), resources.currentHost(), resources.hosts());
    devices.report().forEach(LOG::info);
    DeviceRequest.of(selection.algorithm(), selection.hyperparameters(), devices.builds()).ifPresent(r ->
        LOG.info("{} runs on {}", selection.algorithm(), devices.require(r)));
    if (resources.hosts().size() > 1) {
      if (!SEVERAL_HOSTS.contains(selection.algorithm())) {
        throw new UserError("resourceconfig.json lists " + resources.hosts().size() + " hosts " + resources.hosts()
            + "; training on several hosts is supported for " + SEVERAL_HOSTS + ", not yet for "
            + selection.algorithm() + ": use one instance");
      }
      DataDistribution.log(inputs, resources.hosts().size());
      Cluster cluster = Cluster.join(resources, clusterSettings, message -> endOnJoinTimeout(layout, message));
      boolean done = false;
      try {
        ModelManifest m = train(layout, raw, inputs, selection, cluster.collective());
        done = true;
        return m;
      } finally {
        if (done) {
          cluster.close();
        }
        // After a failure the process ends without leaving the collective: a peer that is gone cannot answer.
      }
    }
    return train(layout, raw, inputs, selection, Collective.SOLO);
  }

  private ModelManifest train(OptMlLayout layout, Map<String, String> raw, InputDataConfig inputs,
      AlgorithmSelector.Selection selection, Collective collective) throws IOException {
    var algorithm = registry.get(selection.algorithm());
    Map<String, ChannelInput> channels = ChannelResolver.resolve(layout, inputs);
    // checkpointconfig.json's LocalPath, else SageMaker's default folder when it exists (it is synced from S3).
    Optional<Path> checkpoints = CheckpointConfig.read(layout.checkpointConfig(), layout.defaultCheckpointDir())
        .map(c -> rebase(c.localPath(), layout.root()))
        .or(() -> Files.isDirectory(layout.defaultCheckpointDir()) ? Optional.of(layout.defaultCheckpointDir())
            : Optional.empty());
    checkpoints.ifPresent(p -> LOG.info("checkpoints in {}", p));
    try {
      Files.createDirectories(layout.modelDir());
    } catch (IOException e) {
      throw new UserError("the model folder " + layout.modelDir() + " cannot be used (" + IoFailures.reason(e)
          + "); it must be a writable folder (SM_MODEL_DIR, or model/ under SAGEMAKER_BASE_DIR)", e);
    }
    // The algorithm writes into a staging folder; the commit moves the files into model/ so that a kill at any
    // instant leaves the old model or the new one, never a mix.
    ModelFolder folder = modelFolder(layout);
    String recovered = folder.recover();
    if (!recovered.isEmpty()) {
      LOG.warn("model folder: {}", recovered);
    }
    Map<String, String> hyperparameters = selection.hyperparameters();
    if (selection.algorithm().equals("xgboost") && !hyperparameters.containsKey("data_matrix")
        && !settings.externalMemory().equals("auto")) {
      hyperparameters = new java.util.HashMap<>(hyperparameters);
      hyperparameters.put("data_matrix", settings.externalMemory());
      LOG.info("data_matrix {} (from {})", settings.externalMemory(), SageMakerEnv.EXTERNAL_MEMORY);
    }
    TrainingListener listener = new ConsoleTrainingListener(metricsOut);
    if (!collective.leader()) {
      listener = new FollowerListener(listener);
    }
    TrainingRequest request = new TrainingRequest(hyperparameters, channels, folder.stage(),
        checkpoints, settings.threads(), listener, stopRequested, Optional.of(layout.outputDataDir()), collective);
    writesModel = collective.leader();
    ModelManifest trained = algorithm.train(request);
    if (!writesModel) {
      discardStaging(layout);
      return trained;
    }
    LOG.info("model folder: committing the new model");
    return folder.commit();
  }

  /** The join deadline passed: the failure is written and the process ends (the join cannot be interrupted). */
  private static void endOnJoinTimeout(OptMlLayout layout, String message) {
    FailureReport report = FailureReport.of(new PlatformError(message, null));
    LOG.error("training failed: {}", message);
    try {
      report.write(layout.failureFile());
    } catch (IOException io) {
      LOG.error("cannot write {}: {}", layout.failureFile(), io.getMessage());
    }
    Runtime.getRuntime().halt(report.exitCode());
  }

  private ModelFolder modelFolder(OptMlLayout layout) {
    long pause = settings.savePauseMillis();
    return new ModelFolder(layout.modelDir(), () -> {
      if (pause > 0) {
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }

  private static void discardStaging(OptMlLayout layout) {
    try {
      new ModelFolder(layout.modelDir()).recover();
    } catch (RuntimeException e) {
      LOG.warn("could not clean the staging folder of {}: {}", layout.modelDir(), e.getMessage());
    }
  }

  /**
   * A LocalPath under /opt/ml follows the tree when it is relocated (SAGEMAKER_BASE_DIR). It must be absolute and,
   * once normalised, stay inside the tree: checkpoints are written and deleted there.
   */
  static Path rebase(Path p, Path root) {
    if (!p.isAbsolute()) {
      throw new UserError("checkpointconfig.json LocalPath '" + p + "' must be an absolute path inside the "
          + "SageMaker tree, such as /opt/ml/checkpoints");
    }
    Path optMl = Path.of("/opt/ml");
    Path normal = p.normalize();
    Path resolved = normal.startsWith(optMl) && !root.equals(optMl)
        ? root.resolve(optMl.relativize(normal).toString()).normalize() : normal;
    Path tree = root.toAbsolutePath().normalize();
    if (!resolved.startsWith(tree) || resolved.equals(tree)) {
      throw new UserError("checkpointconfig.json LocalPath '" + p + "' leads outside the SageMaker tree (" + tree
          + "); use a folder inside it, such as /opt/ml/checkpoints");
    }
    return resolved;
  }
}
