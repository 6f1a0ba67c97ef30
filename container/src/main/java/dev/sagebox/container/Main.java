package dev.sagebox.container;

import dev.sagebox.container.metrics.MetricsEndpoint;
import dev.sagebox.container.metrics.ServingMetrics;
import dev.sagebox.container.mme.ModelMemory;
import dev.sagebox.container.mme.ModelRegistry;
import dev.sagebox.container.mme.ModelsRoot;
import dev.sagebox.container.mme.MultiModelSettings;
import dev.sagebox.container.serve.InferenceServer;
import dev.sagebox.container.serve.ServedModel;
import dev.sagebox.container.serve.ModelLoader;
import dev.sagebox.container.serve.ModelSlot;
import dev.sagebox.container.train.FailureReport;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.lenet.LeNetAlgorithm;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container entry point: {@code train} or {@code serve}, as SageMaker runs the image. */
public final class Main {
  /** The system property by which slf4j 2 takes its provider's class name. */
  static final String LOG_PROVIDER_PROPERTY = "slf4j.provider";

  static {
    // slf4j otherwise finds its provider by scanning every jar on the class path (~100 here) for a service file:
    // ~80 ms of each start. Named, it is loaded at once (a JVM flag naming another one still wins), and slf4j's
    // note on stderr that it loads a named provider is left out: only its warnings and errors are kept.
    if (System.getProperty(LOG_PROVIDER_PROPERTY) == null) {
      System.setProperty(LOG_PROVIDER_PROPERTY, "org.slf4j.simple.SimpleServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger("sagebox");
  /** SageMaker sends SIGKILL 120 s after SIGTERM for training; leave room to save. */
  private static final long TRAIN_STOP_GRACE_SECONDS = 100;

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    int code;
    switch (command) {
      case "train" -> code = train();
      case "serve" -> code = serve();
      case "--version", "version" -> {
        System.out.println("sagebox " + Version.current());
        code = 0;
      }
      default -> {
        System.err.println("usage: sagebox train | serve\n"
            + "  train  read " + "$SAGEMAKER_BASE_DIR (default /opt/ml)/input, write the model to model/\n"
            + "  serve  load model/ and answer GET /ping, POST /invocations on $SAGEMAKER_BIND_TO_PORT (8080)"
            + (command.isEmpty() ? "" : "\nunknown command '" + command + "'"));
        code = 2;
      }
    }
    if (code >= 0) {
      System.exit(code);
    }
  }

  static AlgorithmRegistry registry() {
    return new AlgorithmRegistry(List.of(new XGBoostAlgorithm(Version.current(), LOG::warn),
        new LinearLearnerAlgorithm(Version.current()), new LeNetAlgorithm(Version.current())));
  }

  private static ContainerSettings settingsOrNull() {
    try {
      return ContainerSettings.fromEnv(System.getenv());
    } catch (UserError e) {
      LOG.error("invalid environment: {}", e.getMessage());
      return null;
    }
  }

  private static int train() {
    ContainerSettings settings;
    dev.sagebox.container.cluster.ClusterSettings cluster;
    try {
      settings = ContainerSettings.fromEnv(System.getenv());
      // The cluster's variables too: a bad SAGEBOX_HOSTS is the same user error, with a failure file.
      cluster = dev.sagebox.container.cluster.ClusterSettings.fromEnv(System.getenv());
    } catch (UserError | IllegalArgumentException e) {
      LOG.error("invalid environment: {}", e.getMessage());
      String base = System.getenv().getOrDefault(SageMakerEnv.BASE_DIR, "").strip();
      return TrainCommand.failBeforeStart(Path.of(base.isEmpty() ? "/opt/ml" : base),
          new UserError("invalid environment: " + e.getMessage()));
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (finished.getCount() > 0) {
        LOG.warn("SIGTERM: stopping training after the current round");
        stop.set(true);
        try {
          finished.await(TRAIN_STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "train-shutdown"));
    try {
      return new TrainCommand(settings, registry(), System.out, stop::get, cluster).run();
    } finally {
      // Whatever happened, a shutdown hook waiting for the training must not wait out its grace period.
      finished.countDown();
    }
  }

  /** The multi-model registry when SAGEMAKER_MULTI_MODEL=true, else null. */
  private static ModelRegistry<ServedModel> multiModelRegistry(ContainerSettings settings, PredictorOptions options) {
    MultiModelSettings mme = MultiModelSettings.fromEnv(System.getenv());
    if (!mme.enabled()) {
      return null;
    }
    LOG.info("serve: multi-model endpoint, models under {}, memory budget {} MB", mme.modelsRoot(),
        mme.budgetBytes() / 1_000_000);
    return new ModelRegistry<>(new ModelsRoot(mme.modelsRoot()), folder -> new ModelLoader(registry())
        .loadServed(folder, options, settings.maxImagePixels(), false), ModelMemory::estimate, mme.budgetBytes());
  }

  /** Starts the server and returns -1: the process lives until SIGTERM. */
  private static int serve() {
    ContainerSettings settings = settingsOrNull();
    if (settings == null) {
      return FailureReport.USER_ERROR;
    }
    LOG.info("serve: model {}, port {}, outputs {}, {} thread(s) per prediction, runtime {}", settings.modelDir(),
        settings.port(), settings.inferenceOutputs().isEmpty() ? "default" : settings.inferenceOutputs(),
        settings.predictThreads(), settings.runtime().wireName());
    dev.sagebox.engine.device.DeviceCheck.forThisProcess().report().forEach(LOG::info);
    ModelSlot slot = new ModelSlot();
    PredictorOptions options = settings.predictorOptions();
    InferenceServer server;
    ServingMetrics metrics = null;
    ModelRegistry<ServedModel> models;
    try {
      models = multiModelRegistry(settings, options);
      java.util.OptionalInt metricsPort = MetricsEndpoint.portFromEnv(System.getenv());
      if (metricsPort.isPresent()) {
        metrics = new ServingMetrics();
        if (models == null) {
          metrics.watchModels(() -> slot.state() instanceof ModelSlot.Ready ? 1 : 0,
              () -> slot.state() instanceof ModelSlot.Ready ? ModelMemory.estimate(settings.modelDir()) : 0, () -> 0);
        }
        MetricsEndpoint endpoint = MetricsEndpoint.start(metrics, settings.bindAddress(), metricsPort.getAsInt());
        LOG.info("serve: Prometheus metrics on {}:{}/metrics", settings.bindAddress(), endpoint.port());
      }
      server = new InferenceServer(settings, Codecs.standard(settings.maxImagePixels()), slot, models, metrics);
    } catch (UserError e) {
      LOG.error("invalid environment: {}", e.getMessage());
      return FailureReport.USER_ERROR;
    } catch (dev.sagebox.engine.error.PlatformError e) {
      LOG.error("cannot start serving: {}", e.getMessage());
      return FailureReport.PLATFORM_ERROR;
    }
    try {
      server.start();
    } catch (RuntimeException e) {
      LOG.error("cannot start the HTTP server on port {}: {}", settings.port(), e.getMessage());
      return FailureReport.PLATFORM_ERROR;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: stopping the server");
      server.close();
    }, "serve-shutdown"));
    if (models != null) {
      return -1; // a multi-model endpoint loads its models on POST /models
    }
    ServingMetrics loadMetrics = metrics;
    slot.loadInBackground(() -> {
      long t0 = System.nanoTime();
      try {
        ServedModel m = new ModelLoader(registry()).loadServed(settings.modelDir(), options,
            settings.maxImagePixels());
        if (loadMetrics != null) {
          loadMetrics.modelLoad("ok", (System.nanoTime() - t0) / 1e9);
        }
        return m;
      } catch (RuntimeException e) {
        if (loadMetrics != null) {
          loadMetrics.modelLoad("failed", (System.nanoTime() - t0) / 1e9);
        }
        throw e;
      }
    });
    return -1;
  }
}
