package dev.sagebox.controlplane;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The API's settings, from the environment (and {@code --name value} flags, which win). Every name it reads is here.
 *
 * @param s3Endpoint an external S3 endpoint (MinIO, real S3), or null for the embedded one
 * @param s3Port the embedded S3's port (0: any free port)
 * @param launcher {@code bin/sagebox}, started for every job and serving instance
 * @param credentials access key id to secret: when any, every call's SigV4 signature is checked (and the embedded
 *     S3 checks the first pair)
 */
public record ApiSettings(String bind, int port, Path stateDir, URI s3Endpoint, int s3Port, String region,
    String account, Path launcher, int maxTrainingJobs, Duration endpointStartupTimeout,
    Map<String, String> credentials) {

  public static final String BIND = "SAGEBOX_API_BIND";
  public static final String PORT = "SAGEBOX_API_PORT";
  public static final String STATE_DIR = "SAGEBOX_API_STATE_DIR";
  public static final String S3_ENDPOINT = "SAGEBOX_API_S3_ENDPOINT";
  public static final String S3_PORT = "SAGEBOX_API_S3_PORT";
  public static final String ACCOUNT = "SAGEBOX_API_ACCOUNT";
  public static final String MAX_TRAINING_JOBS = "SAGEBOX_API_MAX_TRAINING_JOBS";
  public static final String ENDPOINT_STARTUP_SECONDS = "SAGEBOX_API_ENDPOINT_STARTUP_SECONDS";
  /** Set by bin/sagebox: the folder holding bin/sagebox. */
  public static final String HOME = "SAGEBOX_HOME";
  public static final String REGION = "AWS_REGION";
  /** {@code KEY:SECRET[,KEY:SECRET...]}: the access keys whose signatures are accepted; unset: no check. */
  public static final String CREDENTIALS = "SAGEBOX_API_CREDENTIALS";

  /** The flags, each the lower-case name after SAGEBOX_API_ with '-' for '_': --port, --state-dir, --s3-endpoint. */
  public static ApiSettings from(Map<String, String> env, String[] args) {
    Map<String, String> vars = new java.util.HashMap<>(env);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: sagebox api [--port N] [--bind "
            + "ADDRESS] [--state-dir DIR] [--s3-endpoint URL] [--s3-port N]");
      }
      String key;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        key = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        key = a.substring(2);
        value = args[++i];
      } else {
        throw new IllegalArgumentException("flag " + a + " needs a value");
      }
      String var = "SAGEBOX_API_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      if (!java.util.Set.of(BIND, PORT, STATE_DIR, S3_ENDPOINT, S3_PORT, ACCOUNT, MAX_TRAINING_JOBS,
          ENDPOINT_STARTUP_SECONDS).contains(var)) {
        throw new IllegalArgumentException("unknown flag " + a + "; accepted: --bind, --port, --state-dir, "
            + "--s3-endpoint, --s3-port, --account, --max-training-jobs, --endpoint-startup-seconds");
      }
      vars.put(var, value);
    }
    int port = integer(vars, PORT, 8090, 0, 65535);
    String home = vars.getOrDefault(HOME, ".");
    String s3 = vars.getOrDefault(S3_ENDPOINT, "").strip();
    return new ApiSettings(
        vars.getOrDefault(BIND, "127.0.0.1"),
        port,
        Path.of(vars.getOrDefault(STATE_DIR, System.getProperty("user.home") + "/.sagebox/api")).toAbsolutePath(),
        s3.isEmpty() ? null : URI.create(s3),
        integer(vars, S3_PORT, port == 0 ? 0 : port + 1, 0, 65535),
        vars.getOrDefault(REGION, vars.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
        vars.getOrDefault(ACCOUNT, "000000000000"),
        Path.of(home, "bin", "sagebox").toAbsolutePath().normalize(),
        integer(vars, MAX_TRAINING_JOBS, 4, 1, 1000),
        Duration.ofSeconds(integer(vars, ENDPOINT_STARTUP_SECONDS, 300, 1, 86400)),
        credentials(vars.getOrDefault(CREDENTIALS, "")));
  }

  private static Map<String, String> credentials(String raw) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String pair : raw.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        throw new IllegalArgumentException(CREDENTIALS + " must be KEY:SECRET pairs separated by commas; one pair has "
            + "no ':' or an empty part");
      }
      out.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
    }
    return out;
  }

  private static int integer(Map<String, String> vars, String name, int fallback, int min, int max) {
    String raw = vars.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new IllegalArgumentException(name + "='" + raw + "' is invalid; accepted: an integer from " + min + " to "
        + max);
  }

  /** The same settings with another port, state folder and S3 port (tests). */
  public ApiSettings with(int newPort, Path newState, int newS3Port) {
    return new ApiSettings(bind, newPort, newState, s3Endpoint, newS3Port, region, account, launcher,
        maxTrainingJobs, endpointStartupTimeout, credentials);
  }
}
