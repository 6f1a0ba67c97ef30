package dev.sagebox.container;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The container's settings, read from the environment once at start and logged. {@code defaultAcceptGiven}: whether
 * SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT was set (bring-your-own ONNX models answer JSON by default, not text/csv).
 */
public record ContainerSettings(
    Path baseDir,
    Path modelDir,
    String bindAddress,
    int port,
    long maxPayloadBytes,
    String defaultAccept,
    List<String> inferenceOutputs,
    String algorithm,
    int threads,
    int predictThreads,
    boolean accessLog,
    String batchStrategy,
    int maxConcurrentTransforms,
    boolean batchOutput,
    boolean ensemble,
    boolean lenientFeatures,
    long maxImagePixels,
    long savePauseMillis,
    boolean defaultAcceptGiven,
    ModelRuntime runtime,
    String externalMemory) {

  /** The limit SageMaker's XGBoost puts on MAX_CONTENT_LENGTH. */
  static final long MAX_CONTENT_LENGTH_CAP = 20L * 1024 * 1024;

  /**
   * A folder variable: unset means {@code fallback}; set but empty would mean the working directory (a model written
   * into it), so it is an error.
   */
  private static Path folder(Map<String, String> env, String name, Path fallback) {
    String v = env.get(name);
    if (v == null) {
      return fallback;
    }
    if (v.isBlank()) {
      throw new UserError(name + " is set but empty; give a folder, or leave it unset for " + fallback);
    }
    try {
      return Path.of(v.strip());
    } catch (java.nio.file.InvalidPathException e) {
      throw new UserError(name + "='" + v + "' is not a path: " + e.getReason());
    }
  }

  public static ContainerSettings fromEnv(Map<String, String> env) {
    Path base = folder(env, SageMakerEnv.BASE_DIR, Path.of("/opt/ml"));
    Path model = folder(env, SageMakerEnv.MODEL_DIR, base.resolve("model"));
    int cores = Runtime.getRuntime().availableProcessors();
    String accept = env.getOrDefault(SageMakerEnv.DEFAULT_INVOCATIONS_ACCEPT, "text/csv").strip();
    if (accept.isEmpty()) {
      accept = "text/csv";
    }
    MediaType.parse(accept);
    String outputs = env.getOrDefault(SageMakerEnv.INFERENCE_OUTPUT, "");
    List<String> selected = Arrays.stream(outputs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    String strategy = env.getOrDefault(SageMakerEnv.BATCH_STRATEGY, "MULTI_RECORD").strip().toUpperCase(
        java.util.Locale.ROOT);
    if (!strategy.equals("MULTI_RECORD") && !strategy.equals("SINGLE_RECORD")) {
      throw new UserError(SageMakerEnv.BATCH_STRATEGY + "='" + strategy + "' is invalid; accepted: MULTI_RECORD, "
          + "SINGLE_RECORD");
    }
    long payload = intVar(env, SageMakerEnv.MAX_PAYLOAD_IN_MB, 6, 1, 2000) * 1024L * 1024L;
    if (!env.containsKey(SageMakerEnv.MAX_PAYLOAD_IN_MB) && env.containsKey(SageMakerEnv.MAX_CONTENT_LENGTH)) {
      // SageMaker XGBoost's own setting, in bytes, capped at 20 MiB as that container caps it.
      payload = Math.min(MAX_CONTENT_LENGTH_CAP,
          intVar(env, SageMakerEnv.MAX_CONTENT_LENGTH, 6 * 1024 * 1024, 1, Integer.MAX_VALUE));
    }
    String check = env.getOrDefault(SageMakerEnv.FEATURE_CHECK, "strict").strip().toLowerCase(java.util.Locale.ROOT);
    if (!check.equals("strict") && !check.equals("lenient")) {
      throw new UserError(SageMakerEnv.FEATURE_CHECK + "='" + check + "' is invalid; accepted: strict (default: "
          + "rows need the model's feature count), lenient (fewer features: the rest are missing)");
    }
    String runtimeName = env.getOrDefault(SageMakerEnv.RUNTIME, "");
    ModelRuntime runtime = runtimeName.isBlank() ? ModelRuntime.ONNX : ModelRuntime.parse(runtimeName)
        .orElseThrow(() -> new UserError(SageMakerEnv.RUNTIME + "='" + runtimeName + "' is invalid; accepted: onnx "
            + "(default: a model folder with model.onnx is served by ONNX Runtime), native (the algorithm's own "
            + "code; folders without model.onnx are always served so)"));
    return new ContainerSettings(base, model,
        env.getOrDefault(SageMakerEnv.BIND_ADDRESS, "0.0.0.0"),
        intVar(env, SageMakerEnv.BIND_TO_PORT, 8080, 0, 65535),
        payload,
        accept,
        selected,
        env.get(SageMakerEnv.ALGORITHM),
        intVar(env, SageMakerEnv.THREADS, cores, 1, 4096),
        intVar(env, SageMakerEnv.PREDICT_THREADS, 1, 1, 4096),
        !"false".equalsIgnoreCase(env.getOrDefault(SageMakerEnv.ACCESS_LOG, "true").strip()),
        strategy,
        intVar(env, SageMakerEnv.MAX_CONCURRENT_TRANSFORMS, cores, 1, 4096),
        flag(env, SageMakerEnv.BATCH, false),
        flag(env, SageMakerEnv.INFERENCE_ENSEMBLE, true),
        check.equals("lenient"),
        longVar(env, SageMakerEnv.MAX_IMAGE_PIXELS, 40_000_000L, 1, 1_000_000_000_000L),
        longVar(env, SageMakerEnv.TEST_SAVE_PAUSE_MS, 0, 0, 10_000),
        !env.getOrDefault(SageMakerEnv.DEFAULT_INVOCATIONS_ACCEPT, "").isBlank(),
        runtime,
        externalMemory(env));
  }

  /** SAGEBOX_EXTERNAL_MEMORY as XGBoost's data_matrix value: external, float or auto. */
  private static String externalMemory(Map<String, String> env) {
    String v = env.getOrDefault(SageMakerEnv.EXTERNAL_MEMORY, "auto").strip().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "", "auto" -> "auto";
      case "true", "1", "yes", "on" -> "external";
      case "false", "0", "no", "off" -> "float";
      default -> throw new UserError(SageMakerEnv.EXTERNAL_MEMORY + "='" + v + "' is invalid; accepted: true (XGBoost "
          + "trains from external memory: pages on local disk), false (from a float copy in memory), auto (default: "
          + "external memory when the data would not fit in half the heap)");
    };
  }

  /** The serving options these settings give the model loader (outputs, threads, ensemble, runtime). */
  public PredictorOptions predictorOptions() {
    return new PredictorOptions(inferenceOutputs, predictThreads, ensemble, runtime);
  }

  /** The payload limit in whole MiB, as /execution-parameters reports it (at least 1). */
  public int maxPayloadMb() {
    return (int) Math.max(1, maxPayloadBytes / (1024L * 1024L));
  }

  /**
   * A boolean variable: unset or empty gives {@code fallback}; false/0/no/off are false, anything else true (as
   * SageMaker's XGBoost treats SAGEMAKER_BATCH: any non-empty value turns it on).
   */
  private static boolean flag(Map<String, String> env, String name, boolean fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return !java.util.Set.of("false", "0", "no", "off").contains(raw.strip().toLowerCase(java.util.Locale.ROOT));
  }

  private static long longVar(Map<String, String> env, String name, long fallback, long min, long max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw.strip());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UserError("environment variable " + name + "='" + raw + "' is invalid; expected an integer in ["
          + min + ", " + max + "]");
    }
  }

  /** An integer environment variable in [min, max], else a user error saying what is accepted. */
  public static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
    return (int) longVar(env, name, fallback, min, max);
  }
}
