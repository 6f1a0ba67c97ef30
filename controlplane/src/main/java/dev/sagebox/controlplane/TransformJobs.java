package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create/Describe/List/Stop TransformJob: the model served by its own {@link Fleet}, each input object split into
 * requests ({@link RecordSplitter}), sent with up to MaxConcurrentTransforms in flight, the answers assembled in order
 * into {@code <S3OutputPath>/<object key below the input prefix>.out}.
 */
public final class TransformJobs {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.api.transform");
  private final ResourceStore store;
  private final Hosting hosting;
  private final Path workDir;
  private final ObjectStore objects;
  private final Path launcher;
  private final Arns arns;
  private final ExecutorService runner;
  private final Duration startupTimeout;
  private final Map<String, Boolean> stopRequested = new ConcurrentHashMap<>();

  public TransformJobs(ResourceStore store, Hosting hosting, Path workDir, ObjectStore objects, Path launcher,
      Arns arns, ExecutorService runner, Duration startupTimeout) {
    this.store = store;
    this.hosting = hosting;
    this.workDir = workDir;
    this.objects = objects;
    this.launcher = launcher;
    this.arns = arns;
    this.runner = runner;
    this.startupTimeout = startupTimeout;
  }

  /** After a restart: jobs that were running are no longer. */
  public void recover() {
    for (ObjectNode doc : store.all()) {
      String status = doc.path("TransformJobStatus").asText();
      if (status.equals("InProgress") || status.equals("Stopping")) {
        store.update(new ResourceName(doc.path("TransformJobName").asText()), d -> end(d, "Failed",
            "The Sagebox API restarted while this job ran; create it again under a new name"));
      }
    }
  }

  public ObjectNode create(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TransformJobName");
    ResourceName model = ResourceName.of(req, "ModelName");
    if (!hosting.modelExists(model)) {
      throw ApiException.validation("Could not find model \"" + arns.of("model", model) + "\".");
    }
    JsonNode input = Json.requiredObject(req, "TransformInput", "");
    JsonNode s3 = input.path("DataSource").path("S3DataSource");
    ObjectUri.parse(Json.requiredText(s3, "S3Uri", "TransformInput.DataSource.S3DataSource."),
        "TransformInput.DataSource.S3DataSource.S3Uri");
    String dataType = s3.path("S3DataType").asText("S3Prefix");
    if (!dataType.equals("S3Prefix") && !dataType.equals("ManifestFile")) {
      throw ApiException.validation("S3DataType '" + dataType + "' is not supported; accepted: S3Prefix, "
          + "ManifestFile");
    }
    String split = input.path("SplitType").asText("None");
    if (!List.of("None", "Line", "RecordIO").contains(split)) {
      throw ApiException.validation("TransformInput.SplitType '" + split + "' is not supported here; accepted: None, "
          + "Line, RecordIO");
    }
    String compression = input.path("CompressionType").asText("None");
    if (!compression.equals("None") && !compression.equals("Gzip")) {
      throw ApiException.validation("TransformInput.CompressionType '" + compression + "' is invalid; accepted: "
          + "None, Gzip");
    }
    JsonNode output = Json.requiredObject(req, "TransformOutput", "");
    ObjectUri.parse(Json.requiredText(output, "S3OutputPath", "TransformOutput."), "TransformOutput.S3OutputPath");
    String assemble = output.path("AssembleWith").asText("None");
    if (!assemble.equals("None") && !assemble.equals("Line")) {
      throw ApiException.validation("TransformOutput.AssembleWith '" + assemble + "' is invalid; accepted: None, "
          + "Line");
    }
    String strategy = req.path("BatchStrategy").asText("MultiRecord");
    if (!strategy.equals("MultiRecord") && !strategy.equals("SingleRecord")) {
      throw ApiException.validation("BatchStrategy '" + strategy + "' is invalid; accepted: MultiRecord, "
          + "SingleRecord");
    }
    Json.intIn(req, "MaxPayloadInMB", 6, 0, 100);
    Json.intIn(req, "MaxConcurrentTransforms", 1, 0, 1000);
    Json.requiredObject(req, "TransformResources", "");
    Json.intIn(req.path("TransformResources"), "InstanceCount", 1, 1, 16);
    if (req.has("DataProcessing")) {
      throw ApiException.validation("DataProcessing (InputFilter, OutputFilter, JoinSource) is not supported here");
    }
    ObjectNode doc = (ObjectNode) req.deepCopy();
    doc.remove("Tags");
    doc.put("TransformJobArn", arns.of("transform-job", name));
    doc.put("TransformJobStatus", "InProgress");
    doc.put("CreationTime", Json.now());
    if (!store.create(name, doc)) {
      throw ApiException.inUse("Job name must be unique within an AWS account and region, and a job with this name "
          + "already exists (" + doc.path("TransformJobArn").asText() + ")");
    }
    runner.submit(() -> run(name));
    ObjectNode out = Json.object();
    out.put("TransformJobArn", doc.path("TransformJobArn").asText());
    return out;
  }

  public ObjectNode describe(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TransformJobName");
    return store.get(name).orElseThrow(() -> ApiException.validation("Could not find requested job with name "
        + name));
  }

  public ObjectNode list(JsonNode req) {
    return Listing.page(req, store.all(), "TransformJobName", "TransformJobStatus",
        d -> Listing.pick(d, "TransformJobName", "TransformJobArn", "CreationTime", "TransformEndTime",
            "LastModifiedTime", "TransformJobStatus", "FailureReason"), "TransformJobSummaries");
  }

  public ObjectNode stop(JsonNode req) {
    ResourceName name = ResourceName.of(req, "TransformJobName");
    ObjectNode doc = store.get(name).orElseThrow(() -> ApiException.notFound("Could not find requested job with name "
        + name));
    if (doc.path("TransformJobStatus").asText().equals("InProgress")) {
      stopRequested.put(name.value(), true);
      store.update(name, d -> d.put("TransformJobStatus", "Stopping"));
    }
    return Json.object();
  }

  private void run(ResourceName name) {
    Fleet fleet = null;
    try {
      ObjectNode doc = store.get(name).orElseThrow();
      store.update(name, d -> d.put("TransformStartTime", Json.now()));
      Path jobDir = workDir.resolve(name.value());
      Path in = jobDir.resolve("input");
      JsonNode input = doc.path("TransformInput");
      JsonNode s3 = input.path("DataSource").path("S3DataSource");
      ObjectUri source = ObjectUri.parse(s3.path("S3Uri").asText(), "S3Uri");
      int count = s3.path("S3DataType").asText("S3Prefix").equals("ManifestFile")
          ? objects.downloadManifest(source, in) : objects.downloadPrefix(source, in);
      if (count == 0) {
        throw new IOException("no input objects under " + source);
      }
      String strategy = doc.path("BatchStrategy").asText("MultiRecord");
      Map<String, String> env = new java.util.HashMap<>();
      doc.path("Environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      env.put("SAGEMAKER_BATCH", "true");
      env.put("SAGEMAKER_BATCH_STRATEGY", strategy.equals("SingleRecord") ? "SINGLE_RECORD" : "MULTI_RECORD");
      if (doc.path("MaxPayloadInMB").asInt(0) > 0) {
        env.put("SAGEMAKER_MAX_PAYLOAD_IN_MB", Integer.toString(doc.path("MaxPayloadInMB").asInt()));
      }
      fleet = Fleet.start(jobDir.resolve("serving"), List.of(hosting.variantSpec("AllTraffic",
          new ResourceName(doc.path("ModelName").asText()), doc.path("TransformResources").path("InstanceCount")
              .asInt(1), 1.0, env)), objects, launcher, startupTimeout);
      JsonNode params = fleet.executionParameters().orElse(Json.object());
      int concurrent = doc.path("MaxConcurrentTransforms").asInt(0) > 0 ? doc.path("MaxConcurrentTransforms").asInt()
          : Math.max(1, params.path("MaxConcurrentTransforms").asInt(1));
      int payloadMb = doc.path("MaxPayloadInMB").asInt(0) > 0 ? doc.path("MaxPayloadInMB").asInt()
          : Math.max(1, params.path("MaxPayloadInMB").asInt(6));
      ObjectUri target = ObjectUri.parse(doc.path("TransformOutput").path("S3OutputPath").asText(), "");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(in)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        if (stopRequested.containsKey(name.value())) {
          break;
        }
        String rel = in.relativize(f).toString().replace('\\', '/');
        Path out = jobDir.resolve("output").resolve(rel + ".out");
        transform(fleet, f, out, doc, strategy.equals("MultiRecord"), payloadMb * 1024L * 1024L, concurrent, rel);
        objects.put(out, target.child(rel + ".out"));
      }
      boolean stopped = stopRequested.remove(name.value()) != null;
      store.update(name, d -> end(d, stopped ? "Stopped" : "Completed", null));
    } catch (IOException e) {
      store.update(name, d -> end(d, "Failed", "ClientError: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("transform job {} failed in the API", name, e);
      store.update(name, d -> end(d, "Failed", "InternalServerError: " + e));
    } finally {
      stopRequested.remove(name.value());
      if (fleet != null) {
        fleet.stop();
      }
    }
  }

  private static void transform(Fleet fleet, Path file, Path out, ObjectNode doc, boolean multi, long maxBytes,
      int concurrent, String rel) throws IOException, InterruptedException {
    JsonNode input = doc.path("TransformInput");
    byte[] data;
    try (InputStream raw = Files.newInputStream(file);
        InputStream s = input.path("CompressionType").asText("None").equals("Gzip") ? new GZIPInputStream(raw)
            : raw) {
      data = s.readAllBytes();
    }
    List<byte[]> requests = RecordSplitter.requests(data, input.path("SplitType").asText("None"), multi, maxBytes);
    String contentType = input.has("ContentType") ? input.get("ContentType").asText() : null;
    String accept = doc.path("TransformOutput").has("Accept") ? doc.path("TransformOutput").get("Accept").asText()
        : null;
    boolean lines = doc.path("TransformOutput").path("AssembleWith").asText("None").equals("Line");
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrent, Math.max(1, requests.size())));
    try {
      List<Future<Fleet.Answer>> answers = new ArrayList<>();
      for (byte[] r : requests) {
        answers.add(pool.submit(() -> fleet.invoke(r, contentType, accept, null, null, null)));
      }
      ByteArrayOutputStream assembled = new ByteArrayOutputStream();
      for (int i = 0; i < answers.size(); i++) {
        Fleet.Answer a;
        try {
          a = answers.get(i).get();
        } catch (ExecutionException e) {
          throw new IOException(rel + ", request " + (i + 1) + ": " + e.getCause().getMessage(), e.getCause());
        }
        if (a.status() >= 400) {
          throw new IOException(rel + ", request " + (i + 1) + " of " + answers.size() + ": the model answered "
              + a.status() + ": " + new String(a.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        assembled.write(a.body());
        if (lines && a.body().length > 0 && a.body()[a.body().length - 1] != '\n') {
          assembled.write('\n');
        }
      }
      Files.createDirectories(out.getParent());
      Files.write(out, assembled.toByteArray());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void end(ObjectNode d, String status, String reason) {
    d.put("TransformJobStatus", status);
    d.put("TransformEndTime", Json.now());
    if (reason != null) {
      d.put("FailureReason", reason.length() > 1024 ? reason.substring(0, 1024) : reason);
    }
  }
}
