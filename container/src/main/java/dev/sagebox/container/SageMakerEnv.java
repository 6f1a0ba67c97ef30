package dev.sagebox.container;

/** Every environment variable Sagebox reads, in one place. */
public final class SageMakerEnv {
  private SageMakerEnv() {}

  /** Root of the /opt/ml tree (SageMaker training toolkit convention). */
  public static final String BASE_DIR = "SAGEMAKER_BASE_DIR";
  public static final String MODEL_DIR = "SM_MODEL_DIR";
  public static final String BIND_TO_PORT = "SAGEMAKER_BIND_TO_PORT";
  public static final String MAX_PAYLOAD_IN_MB = "SAGEMAKER_MAX_PAYLOAD_IN_MB";
  public static final String DEFAULT_INVOCATIONS_ACCEPT = "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT";
  public static final String INFERENCE_OUTPUT = "SAGEMAKER_INFERENCE_OUTPUT";
  public static final String BATCH = "SAGEMAKER_BATCH";
  public static final String BATCH_STRATEGY = "SAGEMAKER_BATCH_STRATEGY";
  public static final String MAX_CONCURRENT_TRANSFORMS = "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS";
  public static final String TRAINING_JOB_NAME = "TRAINING_JOB_NAME";
  /** SageMaker XGBoost's request size limit in bytes (default 6 MiB, at most 20 MiB there). */
  public static final String MAX_CONTENT_LENGTH = "MAX_CONTENT_LENGTH";
  /** SageMaker XGBoost: serve a folder of several model files as an ensemble (default true) or only its first. */
  public static final String INFERENCE_ENSEMBLE = "SAGEMAKER_INFERENCE_ENSEMBLE";

  /** Sagebox's own: which algorithm to train when the hyperparameters do not say. */
  public static final String ALGORITHM = "SAGEBOX_ALGORITHM";
  /** Sagebox's own: threads for training (default: all cores). */
  public static final String THREADS = "SAGEBOX_THREADS";
  /** Sagebox's own: threads per prediction request (default 1; requests run in parallel). */
  public static final String PREDICT_THREADS = "SAGEBOX_PREDICT_THREADS";
  /** Sagebox's own: set to false to silence the per-request access log. */
  public static final String ACCESS_LOG = "SAGEBOX_ACCESS_LOG";
  /**
   * Sagebox's own: {@code strict} (default) refuses request rows with fewer features than the model; {@code lenient}
   * treats the missing trailing features as missing values, as SageMaker's XGBoost does.
   */
  public static final String FEATURE_CHECK = "SAGEBOX_FEATURE_CHECK";
  /** Sagebox's own: largest image (width x height, as its header declares) a request may carry (default 40 M). */
  public static final String MAX_IMAGE_PIXELS = "SAGEBOX_MAX_IMAGE_PIXELS";
  /** Test hook: a pause between the file operations of a model save, so a kill test can land inside it. */
  public static final String TEST_SAVE_PAUSE_MS = "SAGEBOX_TEST_SAVE_PAUSE_MS";
  /**
   * Sagebox's own: {@code onnx} (default) serves a model folder that holds {@code model.onnx} through ONNX Runtime;
   * {@code native} serves the algorithm's own model file. Folders without {@code model.onnx} are served natively.
   */
  public static final String RUNTIME = "SAGEBOX_RUNTIME";
  /**
   * Sagebox's own, XGBoost training: {@code true} trains from external memory (hyperparameter
   * {@code data_matrix=external}), {@code false} from a float copy in memory ({@code float}), {@code auto} (default)
   * decides by the data's size. A {@code data_matrix} hyperparameter wins.
   */
  public static final String EXTERNAL_MEMORY = "SAGEBOX_EXTERNAL_MEMORY";
  /** Sagebox's own: address to bind (default 0.0.0.0). */
  public static final String BIND_ADDRESS = "SAGEBOX_BIND_ADDRESS";
  /** SageMaker sets it on a multi-model endpoint: models are loaded and invoked through /models (CONTRACT §B.5). */
  public static final String MULTI_MODEL = "SAGEMAKER_MULTI_MODEL";
  /** Sagebox's own: the folder multi-model urls must lie in (default /opt/ml/models). */
  public static final String MODELS_ROOT = "SAGEBOX_MODELS_ROOT";
  /** Sagebox's own: the multi-model memory budget, e.g. 512m or 2g (default half the JVM heap). */
  public static final String MODEL_MEMORY = "SAGEBOX_MODEL_MEMORY";
  /** Sagebox's own: the port of the Prometheus metrics (GET /metrics); unset: no metrics. */
  public static final String METRICS_PORT = "SAGEBOX_METRICS_PORT";
  /** Sagebox's own, several hosts: name=address pairs for hosts whose names do not resolve (tests, one machine). */
  public static final String HOSTS = "SAGEBOX_HOSTS";
  /** Sagebox's own, several hosts: the leader's tracker port (default 9099). */
  public static final String TRACKER_PORT = "SAGEBOX_TRACKER_PORT";
  /** Sagebox's own, several hosts: seconds every host waits for the others to join (default 60). */
  public static final String CLUSTER_TIMEOUT = "SAGEBOX_CLUSTER_TIMEOUT";
  /** Sagebox's own, several hosts: XGBoost's socket timeout between joined hosts, seconds (default 1800). */
  public static final String COLLECTIVE_TIMEOUT = "SAGEBOX_COLLECTIVE_TIMEOUT";
}
