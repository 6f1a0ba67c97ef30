package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create/Describe/List/Stop TrainingJob. Each job runs in its own folder under the state folder, laid out as
 * {@code /opt/ml}, as a {@code bin/sagebox train} child process: a crash of the job cannot take the API down.
 */
public final class TrainingJobs {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.api.training");
  static final String KIND = "training-job";
  /** SageMaker sends SIGTERM, then SIGKILL after 120 s. */
  static final long STOP_GRACE_SECONDS = 120;
  /** The most hosts a job may have: each is a process on this machine. */
  static final int MAX_INSTANCES = 8;

  private final ResourceStore store;
  private final Path workDir;
  private final ObjectStore objects;
  private final Path launcher;
  private final Arns arns;
  private final ExecutorService runner;
  private final int maxRunning;
  private final Map<String, Run> running = new ConcurrentHashMap<>();

  /** A job in progress: its process once started, and why it is being stopped (null: it is not). */
  private static final class Run {
    volatile List<ChildProcess> processes = List.of();
    volatile String stopReason;
  }

  public TrainingJobs(ResourceStore store, Path workDir, ObjectStore objects, Path launcher, Arns arns,
      ExecutorService runner, int maxRunning) {
    this.store = store;
    this.workDir = workDir;
    this.objects = objects;
    this.launcher = launcher;
    this.arns = arns;
    this.runner = runner;
    this.maxRunning = maxRunning;
  }

  /** After a restart: jobs that were running are no longer, and say why. */
  public void recover() {
    for (ObjectNode doc : store.all()) {
      String status = doc.path("TrainingJobStatus").asText();
      if (status.equals("InProgress") || status.equals("Stopping")) {
        ResourceName name = new ResourceName(doc.path("TrainingJobName").asText());
        store.update(name, d -> finish(d, "Failed", "Failed",
            "The Sagebox API restarted while this job ran (jobs run as child processes of the API); create it again "
                + "under a new name"));
      }
    }
  }

  public ObjectNode create(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TrainingJobName");
    JsonNode spec = Json.requiredObject(req, "AlgorithmSpecification", "");
    String image = spec.path("TrainingImage").asText("");
    if (image.isEmpty()) {
      throw ApiException.validation("AlgorithmSpecification.TrainingImage is required (AlgorithmName is not "
          + "supported here: use the image URI of a built-in algorithm)");
    }
    String algorithm = ImageCatalog.require(image, "AlgorithmSpecification.TrainingImage");
    metricDefinitions(spec);
    TrainingRequestChecks.check(req);
    JsonNode output = Json.requiredObject(req, "OutputDataConfig", "");
    ObjectUri.parse(Json.requiredText(output, "S3OutputPath", "OutputDataConfig."), "OutputDataConfig.S3OutputPath");
    JsonNode resources = Json.requiredObject(req, "ResourceConfig", "");
    Json.intIn(resources, "InstanceCount", 1, 1, MAX_INSTANCES);
    Json.requiredObject(req, "StoppingCondition", "");
    Json.intIn(req.path("StoppingCondition"), "MaxRuntimeInSeconds", 86400, 1, 2419200);
    for (JsonNode ch : req.path("InputDataConfig")) {
      channel(ch);
    }
    if (req.has("CheckpointConfig")) {
      ObjectUri.parse(Json.requiredText(req.get("CheckpointConfig"), "S3Uri", "CheckpointConfig."),
          "CheckpointConfig.S3Uri");
    }
    ObjectNode doc = ((ObjectNode) req.deepCopy());
    doc.remove("Tags");
    if (doc.path("HyperParameters").isNull()) {
      doc.remove("HyperParameters");
    }
    doc.put("TrainingJobArn", arns.of("training-job", name));
    doc.put("TrainingJobStatus", "InProgress");
    doc.put("SecondaryStatus", "Starting");
    double now = Json.now();
    doc.put("CreationTime", now);
    doc.put("LastModifiedTime", now);
    doc.putArray("SecondaryStatusTransitions").add(transition("Starting", now,
        "Preparing the instances for training"));
    doc.put("EnableNetworkIsolation", req.path("EnableNetworkIsolation").asBoolean(false));
    synchronized (this) {
      if (running.size() >= maxRunning) {
        throw ApiException.limitExceeded("The account-level service limit 'training jobs in progress' is "
            + maxRunning + " Jobs, with current utilization of " + running.size() + " Jobs (set "
            + ApiSettings.MAX_TRAINING_JOBS + " to allow more)");
      }
      if (!store.create(name, doc)) {
        throw ApiException.inUse("Training job names must be unique within an AWS account and region, and a "
            + "training job with this name already exists (" + doc.path("TrainingJobArn").asText() + ")");
      }
      running.put(name.value(), new Run());
    }
    runner.submit(() -> run(name, algorithm));
    ObjectNode out = Json.object();
    out.put("TrainingJobArn", doc.path("TrainingJobArn").asText());
    return out;
  }

  public ObjectNode describe(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TrainingJobName");
    return store.get(name).orElseThrow(() -> ApiException.validation("Requested resource not found: training job '"
        + name + "' does not exist"));
  }

  public ObjectNode list(JsonNode req) {
    return Listing.page(req, store.all(), "TrainingJobName", "TrainingJobStatus",
        d -> Listing.pick(d, "TrainingJobName", "TrainingJobArn", "CreationTime", "TrainingEndTime",
            "LastModifiedTime", "TrainingJobStatus", "SecondaryStatus"), "TrainingJobSummaries");
  }

  public ObjectNode stop(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TrainingJobName");
    ObjectNode doc = store.get(name).orElseThrow(() -> ApiException.notFound("Requested resource not found: "
        + "training job '" + name + "' does not exist"));
    Run run = running.get(name.value());
    if (run == null || !doc.path("TrainingJobStatus").asText().equals("InProgress")) {
      throw ApiException.validation("The request was rejected because the training job is in status "
          + doc.path("TrainingJobStatus").asText() + "; only InProgress jobs can be stopped");
    }
    requestStop(name, run, "Stopped", "Stopping");
    return Json.object();
  }

  private void requestStop(ResourceName name, Run run, String reason, String secondary) {
    run.stopReason = reason;
    store.update(name, d -> {
      d.put("TrainingJobStatus", "Stopping");
      advance(d, secondary, "Stopping the training job");
    });
    run.processes.forEach(p -> p.stopInBackground(STOP_GRACE_SECONDS));
  }

  /** The API is shutting down: running jobs are stopped (SIGTERM, SIGKILL after 10 s) and marked Failed. */
  public void stopAll() {
    running.forEach((name, run) -> {
      run.stopReason = "shutdown";
      run.processes.forEach(p -> p.stopInBackground(10));
      store.update(new ResourceName(name), d -> finish(d, "Failed", "Failed", "The Sagebox API shut down while "
          + "this job ran; create it again under a new name"));
    });
  }

  /** Runs the job to its end; every outcome is written to the job's document. */
  private void run(ResourceName name, String algorithm) {
    Run run = running.get(name.value());
    Path jobDir = workDir.resolve(name.value());
    long started = System.nanoTime();
    try {
      ObjectNode doc = store.get(name).orElseThrow();
      int hosts = doc.path("ResourceConfig").path("InstanceCount").asInt(1);
      List<Path> mls = new ArrayList<>();
      for (int h = 1; h <= hosts; h++) {
        mls.add(h == 1 ? jobDir.resolve("ml") : jobDir.resolve("algo-" + h).resolve("ml"));
      }
      Path ml = mls.get(0);
      Path log = jobDir.resolve("training.log");
      for (Path m : mls) {
        Files.createDirectories(m.resolve("input/config"));
        Files.createDirectories(m.resolve("model"));
        Files.createDirectories(m.resolve("output"));
      }
      store.update(name, d -> {
        d.put("TrainingStartTime", Json.now());
        advance(d, "Downloading", "Downloading input data");
      });
      for (int h = 1; h <= hosts; h++) {
        JobFolders.writeConfig(doc, mls.get(h - 1), h, hosts);
      }
      ObjectUri checkpoints = JobFolders.checkpointUri(doc);
      Path staged = jobDir.resolve("staged");
      int objectsStaged = JobFolders.stage(objects, doc, staged);
      JobFolders.distribute(doc, staged, mls);
      if (checkpoints != null) {
        for (Path m : mls) {
          objects.downloadPrefix(checkpoints, m.resolve("checkpoints"));
        }
      }
      if (run.stopReason != null) {
        if (!"shutdown".equals(run.stopReason)) {
          store.update(name, d -> finish(d, "Stopped", "Stopped", null));
        }
        return;
      }
      store.update(name, d -> advance(d, "Training", "Training image download completed. Training in progress. ("
          + objectsStaged + " object(s) staged" + (hosts > 1 ? ", " + hosts + " hosts" : "") + ")"));
      Map<String, String> env = new HashMap<>();
      doc.path("Environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      env.put("TRAINING_JOB_NAME", name.value());
      env.put("TRAINING_JOB_ARN", doc.path("TrainingJobArn").asText());
      if (!algorithm.isEmpty()) {
        env.put("SAGEBOX_ALGORITHM", algorithm);
      }
      if (hosts > 1) {
        List<String> map = new ArrayList<>();
        for (int h = 1; h <= hosts; h++) {
          map.add("algo-" + h + "=127.0.0.1");
        }
        env.put("SAGEBOX_HOSTS", String.join(",", map));
        env.put("SAGEBOX_TRACKER_PORT", Integer.toString(Fleet.freePort()));
      }
      List<ChildProcess> processes = new ArrayList<>();
      for (int h = 1; h <= hosts; h++) {
        Map<String, String> hostEnv = new HashMap<>(env);
        hostEnv.put("SAGEMAKER_BASE_DIR", mls.get(h - 1).toString());
        processes.add(ChildProcess.start(launcher, "train", hostEnv,
            h == 1 ? log : jobDir.resolve("training-algo-" + h + ".log")));
      }
      run.processes = List.copyOf(processes);
      if (run.stopReason != null) {
        processes.forEach(p -> p.stopInBackground(STOP_GRACE_SECONDS));
      }
      long maxRuntime = doc.path("StoppingCondition").path("MaxRuntimeInSeconds").asLong(86400);
      Integer[] exits = new Integer[hosts];
      int exit = 0;
      int failedHost = -1;
      boolean done = false;
      while (!done) {
        done = true;
        for (int h = 0; h < hosts; h++) {
          if (exits[h] == null) {
            exits[h] = processes.get(h).waitFor(hosts == 1 ? 1 : 0);
          }
          if (exits[h] == null) {
            done = false;
          } else if (exits[h] != 0 && failedHost < 0) {
            // One host failed: the others would wait for it; stop them.
            failedHost = h;
            exit = exits[h];
            processes.forEach(p -> p.stopInBackground(10));
          }
        }
        if (!done && hosts > 1) {
          Thread.sleep(500);
        }
        if (!done && run.stopReason == null && (System.nanoTime() - started) / 1e9 > maxRuntime) {
          requestStop(name, run, "MaxRuntimeExceeded", "MaxRuntimeExceeded");
        }
      }
      Path failedMl = failedHost < 0 ? ml : mls.get(failedHost);
      Path failedLog = failedHost <= 0 ? log : jobDir.resolve("training-algo-" + (failedHost + 1) + ".log");
      if (checkpoints != null && !"shutdown".equals(run.stopReason)) {
        objects.putFolder(ml.resolve("checkpoints"), checkpoints);
      }
      List<MetricScanner.Definition> defs = metricDefinitions(doc.path("AlgorithmSpecification"));
      Map<String, Double> metrics = MetricScanner.finalValues(log, defs);
      store.update(name, d -> putMetrics(d, metrics));
      if ("shutdown".equals(run.stopReason)) {
        return;
      } else if (run.stopReason != null) {
        String secondary = run.stopReason;
        store.update(name, d -> finish(d, "Stopped", secondary, null));
      } else if (exit != 0) {
        String reason = (hosts > 1 ? "algo-" + (failedHost + 1) + ": " : "")
            + failureReason(failedMl, exit, failedLog);
        store.update(name, d -> finish(d, "Failed", "Failed", reason));
      } else {
        store.update(name, d -> advance(d, "Uploading", "Uploading generated training model"));
        ObjectUri target = ObjectUri.parse(doc.path("OutputDataConfig").path("S3OutputPath").asText(), "")
            .child(name.value() + "/output/model.tar.gz");
        Path tar = jobDir.resolve("model.tar.gz");
        Tarball.pack(ml.resolve("model"), tar);
        objects.put(tar, target);
        store.update(name, d -> {
          d.putObject("ModelArtifacts").put("S3ModelArtifacts", target.toString());
          finish(d, "Completed", "Completed", null);
        });
      }
    } catch (IOException e) {
      if (run.stopReason != null && !"shutdown".equals(run.stopReason)) {
        // The job was asked to stop: it ends Stopped even when the wrap-up (checkpoint sync, metrics) failed.
        LOG.warn("training job {} was stopped; wrapping it up failed: {}", name, e.toString());
        String secondary = run.stopReason;
        store.update(name, d -> finish(d, "Stopped", secondary, null));
      } else {
        store.update(name, d -> finish(d, "Failed", "Failed", "ClientError: " + e.getMessage()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.processes.forEach(p -> p.stopInBackground(10));
    } catch (RuntimeException e) {
      LOG.error("training job {} failed in the API", name, e);
      store.update(name, d -> finish(d, "Failed", "Failed", "InternalServerError: " + e));
    } finally {
      running.remove(name.value());
      long seconds = Math.max(1, Math.round((System.nanoTime() - started) / 1e9));
      store.update(name, d -> {
        d.put("TrainingTimeInSeconds", seconds);
        d.put("BillableTimeInSeconds", seconds);
      });
    }
  }

  /** Checks one channel of a CreateTrainingJob request. */
  private static void channel(JsonNode ch) {
    String name = Json.requiredText(ch, "ChannelName", "InputDataConfig.member.");
    if (!name.matches("[A-Za-z0-9\\.\\-_]+") || name.length() > 64) {
      throw ApiException.validation("ChannelName '" + name + "' must match [A-Za-z0-9\\.\\-_]+ (at most 64)");
    }
    JsonNode s3 = ch.path("DataSource").path("S3DataSource");
    if (!s3.isObject()) {
      throw ApiException.validation("channel '" + name + "': DataSource.S3DataSource is required (FileSystemDataSource"
          + " is not supported here)");
    }
    String type = s3.path("S3DataType").asText("S3Prefix");
    if (!type.equals("S3Prefix") && !type.equals("ManifestFile")) {
      throw ApiException.validation("channel '" + name + "': S3DataType '" + type + "' is not supported here; "
          + "accepted: S3Prefix, ManifestFile");
    }
    ObjectUri.parse(Json.requiredText(s3, "S3Uri", "DataSource.S3DataSource."), "channel '" + name + "' S3Uri");
    String compression = ch.path("CompressionType").asText("None");
    if (!compression.equals("None") && !compression.equals("Gzip")) {
      throw ApiException.validation("channel '" + name + "': CompressionType '" + compression + "' is invalid; "
          + "accepted: None, Gzip");
    }
  }

  private static List<MetricScanner.Definition> metricDefinitions(JsonNode spec) {
    List<MetricScanner.Definition> out = new ArrayList<>();
    for (JsonNode d : spec.path("MetricDefinitions")) {
      String name = Json.requiredText(d, "Name", "AlgorithmSpecification.MetricDefinitions.member.");
      String regex = Json.requiredText(d, "Regex", "AlgorithmSpecification.MetricDefinitions.member.");
      try {
        out.add(new MetricScanner.Definition(name, Pattern.compile(regex)));
      } catch (PatternSyntaxException e) {
        throw ApiException.validation("MetricDefinitions '" + name + "': the regex is invalid: " + e.getDescription());
      }
    }
    return out;
  }

  /**
   * SageMaker's FailureReason, {@code <kind>: <what>}: the container's output/failure has the story on its first line
   * and the kind (ClientError, AlgorithmError, PlatformError) first on its second; at most 1024 characters.
   */
  static String failureReason(Path ml, int exit, Path log) throws IOException {
    Path failure = ml.resolve("output/failure");
    List<String> lines = Files.exists(failure) ? Files.readAllLines(failure, StandardCharsets.UTF_8) : List.of();
    String reason;
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      reason = "AlgorithmError: the training process exited with status " + exit + " and wrote no output/failure; "
          + "see " + log;
    } else {
      String kind = lines.size() > 1 && lines.get(1).matches("[A-Za-z]+Error\\b.*")
          ? lines.get(1).split("\\s", 2)[0] : "AlgorithmError";
      reason = kind + ": " + lines.get(0).strip();
    }
    return reason.length() > 1024 ? reason.substring(0, 1024) : reason;
  }

  private static void putMetrics(ObjectNode d, Map<String, Double> metrics) {
    ArrayNode list = d.putArray("FinalMetricDataList");
    double now = Json.now();
    metrics.forEach((k, v) -> {
      ObjectNode m = list.addObject();
      m.put("MetricName", k);
      m.put("Value", v);
      m.put("Timestamp", now);
    });
  }

  static ObjectNode transition(String status, double start, String message) {
    ObjectNode t = Json.object();
    t.put("Status", status);
    t.put("StartTime", start);
    t.put("StatusMessage", message);
    return t;
  }

  /** Ends the current secondary status and begins the next. */
  static void advance(ObjectNode d, String status, String message) {
    double now = Json.now();
    ArrayNode ts = d.withArray("SecondaryStatusTransitions");
    if (!ts.isEmpty() && ts.get(ts.size() - 1).path("Status").asText().equals(status)) {
      return; // already there (a stop that is then also the job's end): one transition, not two
    }
    if (!ts.isEmpty()) {
      ((ObjectNode) ts.get(ts.size() - 1)).put("EndTime", now);
    }
    ts.add(transition(status, now, message));
    d.put("SecondaryStatus", status);
  }

  private static void finish(ObjectNode d, String status, String secondary, String reason) {
    advance(d, secondary, reason == null ? status : reason);
    double now = Json.now();
    ArrayNode ts = d.withArray("SecondaryStatusTransitions");
    ((ObjectNode) ts.get(ts.size() - 1)).put("EndTime", now);
    d.put("TrainingJobStatus", status);
    d.put("TrainingEndTime", now);
    if (reason != null) {
      d.put("FailureReason", reason);
    }
  }
}
