package dev.sagebox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * The API in this JVM on free ports, driven by the AWS SDK for Java v2 (S3, SageMaker, SageMaker Runtime): training
 * and serving run bin/sagebox, so container/target must be built (the reactor builds it first).
 */
class ApiSdkTest {
  private static final String XGB = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
  private static final Path SAMPLES = Path.of("..", "opt-ml-sample").toAbsolutePath().normalize();

  @TempDir
  Path state;
  private SageboxApi api;
  private S3Client s3;
  private SageMakerClient sm;
  private SageMakerRuntimeClient rt;

  @BeforeEach
  void start() throws Exception {
    startApi();
  }

  private void startApi() throws Exception {
    api = SageboxApi.start(ApiSettings.from(Map.of(ApiSettings.HOME, ".."), new String[0]).with(0, state, 0));
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    URI endpoint = URI.create("http://127.0.0.1:" + api.port());
    s3 = S3Client.builder().endpointOverride(api.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(ApacheHttpClient.create()).build();
    sm = SageMakerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
        .httpClient(ApacheHttpClient.create()).build();
    rt = SageMakerRuntimeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(ApacheHttpClient.create()).build();
  }

  @AfterEach
  void stop() throws Exception {
    sm.close();
    rt.close();
    s3.close();
    api.close();
  }

  private void upload() {
    s3.createBucket(b -> b.bucket("data"));
    for (String ch : List.of("train", "validation")) {
      s3.putObject(b -> b.bucket("data").key("bc/" + ch + "/part-0.csv"),
          RequestBody.fromFile(SAMPLES.resolve("xgboost/input/data/" + ch + "/breast_cancer.csv")));
    }
  }

  private void createJob(String name, Map<String, String> hp, int maxRuntime) {
    sm.createTrainingJob(b -> b.trainingJobName(name)
        .algorithmSpecification(AlgorithmSpecification.builder().trainingImage(XGB).trainingInputMode("File").build())
        .roleArn("arn:aws:iam::000000000000:role/r")
        .hyperParameters(hp)
        .inputDataConfig(channel("train"), channel("validation"))
        .outputDataConfig(o -> o.s3OutputPath("s3://data/out"))
        .resourceConfig(r -> r.instanceCount(1).instanceType("ml.m5.large").volumeSizeInGB(1))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(maxRuntime)));
  }

  private static Channel channel(String name) {
    return Channel.builder().channelName(name).contentType("text/csv").dataSource(d -> d.s3DataSource(
        S3DataSource.builder().s3DataType("S3Prefix").s3Uri("s3://data/bc/" + name + "/")
            .s3DataDistributionType("FullyReplicated").build())).build();
  }

  private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    T v = probe.get();
    while (!done.test(v) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      v = probe.get();
    }
    return v;
  }

  private DescribeTrainingJobResponse awaitJob(String name) throws InterruptedException {
    return await(() -> sm.describeTrainingJob(b -> b.trainingJobName(name)),
        d -> List.of(TrainingJobStatus.COMPLETED, TrainingJobStatus.FAILED, TrainingJobStatus.STOPPED)
            .contains(d.trainingJobStatus()), Duration.ofSeconds(120));
  }

  @Test
  void trainDeployInvokeAndComeBackAfterARestart() throws Exception {
    upload();
    createJob("xgb", Map.of("objective", "binary:logistic", "num_round", "20", "eval_metric", "auc"), 600);
    DescribeTrainingJobResponse d = awaitJob("xgb");
    assertThat(d.trainingJobStatus()).as(d.failureReason()).isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(d.finalMetricDataList()).anySatisfy(m -> {
      assertThat(m.metricName()).isEqualTo("validation:auc");
      assertThat(m.value()).isGreaterThan(0.9f);
    });
    assertThat(d.modelArtifacts().s3ModelArtifacts()).isEqualTo("s3://data/out/xgb/output/model.tar.gz");
    assertThat(s3.headObject(b -> b.bucket("data").key("out/xgb/output/model.tar.gz")).contentLength()).isPositive();
    assertThat(d.trainingStartTime()).isBeforeOrEqualTo(d.trainingEndTime());
    assertThatThrownBy(() -> createJob("xgb", Map.of(), 60)).isInstanceOf(ResourceInUseException.class);

    sm.createModel(b -> b.modelName("m").executionRoleArn("arn:aws:iam::000000000000:role/r")
        .primaryContainer(ContainerDefinition.builder().image(XGB).modelDataUrl(d.modelArtifacts()
            .s3ModelArtifacts()).build()));
    sm.createEndpointConfig(b -> b.endpointConfigName("c").productionVariants(ProductionVariant.builder()
        .variantName("v1").modelName("m").initialInstanceCount(2).instanceType("ml.m5.large").build()));
    sm.createEndpoint(b -> b.endpointName("e").endpointConfigName("c"));
    var e = await(() -> sm.describeEndpoint(b -> b.endpointName("e")),
        x -> x.endpointStatus() != EndpointStatus.CREATING, Duration.ofSeconds(120));
    assertThat(e.endpointStatus()).as(e.failureReason()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(e.productionVariants().get(0).currentInstanceCount()).isEqualTo(2);

    String row = Files.readAllLines(SAMPLES.resolve("xgboost/input/data/validation/breast_cancer.csv")).get(0);
    String features = row.substring(row.indexOf(',') + 1);
    for (int i = 0; i < 4; i++) {
      InvokeEndpointResponse r = rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
          .accept("application/json").body(SdkBytes.fromUtf8String(features)));
      ObjectNode answer = (ObjectNode) Json.MAPPER.readTree(r.body().asUtf8String());
      assertThat(answer.get("predictions").get(0).get("score").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.invokedProductionVariant()).isEqualTo("v1");
    }
    assertThatThrownBy(() -> rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
        .body(SdkBytes.fromUtf8String("1,2"))))
        .isInstanceOfSatisfying(ModelErrorException.class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(424);
          assertThat(ex.originalStatusCode()).isEqualTo(400);
          assertThat(ex.originalMessage()).contains("30");
        });

    // Blue/green: a client calling all through an update sees no failed call.
    sm.createEndpointConfig(b -> b.endpointConfigName("c2").productionVariants(ProductionVariant.builder()
        .variantName("v2").modelName("m").initialInstanceCount(1).instanceType("ml.m5.large").build()));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean updating = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.Set<String> variantsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread client = new Thread(() -> {
      while (updating.get() && failure.get() == null) {
        try {
          variantsSeen.add(rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
              .body(SdkBytes.fromUtf8String(features))).invokedProductionVariant());
          calls.incrementAndGet();
        } catch (RuntimeException ex) {
          failure.set(ex);
        }
      }
    });
    client.start();
    sm.updateEndpoint(b -> b.endpointName("e").endpointConfigName("c2"));
    e = await(() -> sm.describeEndpoint(b -> b.endpointName("e")),
        x -> x.endpointStatus() != EndpointStatus.UPDATING, Duration.ofSeconds(120));
    Thread.sleep(3000);
    updating.set(false);
    client.join();
    assertThat(failure.get()).as("a call failed during the update").isNull();
    assertThat(e.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(e.endpointConfigName()).isEqualTo("c2");
    assertThat(variantsSeen).contains("v1", "v2");
    assertThat(calls.get()).isGreaterThan(10);

    // A transform job over the model: gzip input, one record per request, answers assembled by line.
    List<String> rows = Files.readAllLines(SAMPLES.resolve("xgboost/input/data/validation/breast_cancer.csv"))
        .subList(0, 20).stream().map(r -> r.substring(r.indexOf(',') + 1)).toList();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write((String.join("\n", rows) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    s3.putObject(b -> b.bucket("data").key("batch/in/rows.csv.gz"), RequestBody.fromBytes(gz.toByteArray()));
    sm.createTransformJob(b -> b.transformJobName("t").modelName("m").batchStrategy("SingleRecord")
        .maxConcurrentTransforms(2)
        .transformInput(i -> i.contentType("text/csv").splitType("Line").compressionType("Gzip")
            .dataSource(ds -> ds.s3DataSource(x -> x.s3DataType("S3Prefix").s3Uri("s3://data/batch/in/"))))
        .transformOutput(o -> o.s3OutputPath("s3://data/batch/out").assembleWith("Line"))
        .transformResources(r -> r.instanceCount(1).instanceType("ml.m5.large")));
    var t = await(() -> sm.describeTransformJob(b -> b.transformJobName("t")),
        x -> !x.transformJobStatusAsString().equals("InProgress"), Duration.ofSeconds(120));
    assertThat(t.transformJobStatusAsString()).as(t.failureReason()).isEqualTo("Completed");
    String out = s3.getObjectAsBytes(b -> b.bucket("data").key("batch/out/rows.csv.gz.out")).asUtf8String();
    assertThat(out.strip().split("\n")).hasSize(20).allSatisfy(v -> assertThat(Double.parseDouble(v))
        .isBetween(0.0, 1.0));

    // A restart: everything is still listed, and the endpoint that was InService serves again, on what it was
    // deployed with, even though its endpoint config has been deleted meanwhile (SageMaker allows that).
    sm.deleteEndpointConfig(b -> b.endpointConfigName("c2"));
    stop();
    startApi();
    assertThat(sm.listTrainingJobs(b -> b.maxResults(10)).trainingJobSummaries())
        .extracting(s -> s.trainingJobName()).containsExactly("xgb");
    assertThat(sm.listModels(b -> b.maxResults(10)).models()).hasSize(1);
    e = await(() -> sm.describeEndpoint(b -> b.endpointName("e")),
        x -> x.endpointStatus() != EndpointStatus.CREATING, Duration.ofSeconds(120));
    assertThat(e.endpointStatus()).as(e.failureReason()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(e.endpointConfigName()).isEqualTo("c2");
    assertThat(rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
        .body(SdkBytes.fromUtf8String(features))).body().asUtf8String()).isNotBlank();

    // A serving process that dies: the call that finds it gets a 503 in SageMaker Runtime's shape, and a new
    // instance takes its place, as SageMaker replaces an unhealthy instance.
    Path pidFile;
    try (var walk = Files.walk(state.resolve("endpoints-run/e"))) {
      pidFile = walk.filter(f -> f.getFileName().toString().equals("serve.log.pid")).findFirst().orElseThrow();
    }
    ProcessHandle serving = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
    serving.destroyForcibly();
    serving.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThatThrownBy(() -> rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
        .body(SdkBytes.fromUtf8String(features))))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException
            .class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(503);
          assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
          assertThat(ex.awsErrorDetails().errorMessage()).contains("had exited").doesNotContain("java.");
        });
    String again = await(() -> {
      try {
        return rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
            .body(SdkBytes.fromUtf8String(features))).body().asUtf8String();
      } catch (RuntimeException notYet) {
        return "";
      }
    }, x -> !x.isEmpty(), Duration.ofSeconds(90));
    assertThat(again).as("a call after the replacement").isNotBlank();

    // Deleted while it was being created, then created again on a config that fails: the first deployment,
    // finishing late, must not take the new endpoint over.
    sm.createModel(b -> b.modelName("mbad").executionRoleArn("arn:aws:iam::000000000000:role/r")
        .primaryContainer(ContainerDefinition.builder().image(XGB).modelDataUrl("s3://data/none/model.tar.gz")
            .build()));
    sm.createEndpointConfig(b -> b.endpointConfigName("cbad").productionVariants(ProductionVariant.builder()
        .variantName("v1").modelName("mbad").initialInstanceCount(1).instanceType("ml.m5.large").build()));
    sm.createEndpoint(b -> b.endpointName("e2").endpointConfigName("c"));
    sm.deleteEndpoint(b -> b.endpointName("e2"));
    sm.createEndpoint(b -> b.endpointName("e2").endpointConfigName("cbad"));
    long until = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < until) {
      var e2 = sm.describeEndpoint(b -> b.endpointName("e2"));
      assertThat(e2.endpointStatus()).isIn(EndpointStatus.CREATING, EndpointStatus.FAILED);
      assertThat(e2.endpointConfigName()).isEqualTo("cbad");
      Thread.sleep(500);
    }
    sm.deleteEndpoint(b -> b.endpointName("e2"));
    sm.deleteEndpoint(b -> b.endpointName("e"));
    assertThatThrownBy(() -> sm.describeEndpoint(b -> b.endpointName("e")))
        .isInstanceOfSatisfying(SageMakerException.class, ex -> assertThat(ex.awsErrorDetails().errorCode())
            .isEqualTo("ValidationException"));
  }

  @Test
  void stopAndMaxRuntimeEndAJobAsStopped() throws Exception {
    upload();
    // Enough rounds to run for minutes: only the stop ends it.
    Map<String, String> slow = Map.of("objective", "binary:logistic", "num_round", "1000000", "eta", "0.0001");
    sm.createTrainingJob(b -> b.trainingJobName("stopped")
        .algorithmSpecification(AlgorithmSpecification.builder().trainingImage(XGB).trainingInputMode("File").build())
        .roleArn("arn:aws:iam::000000000000:role/r").hyperParameters(slow)
        .inputDataConfig(channel("train"), channel("validation"))
        .outputDataConfig(o -> o.s3OutputPath("s3://data/out"))
        .checkpointConfig(c -> c.s3Uri("s3://data/ckpt/stopped"))
        .resourceConfig(r -> r.instanceCount(1).instanceType("ml.m5.large").volumeSizeInGB(1))
        .stoppingCondition(x -> x.maxRuntimeInSeconds(600)));
    createJob("timed-out", slow, 3);
    await(() -> sm.describeTrainingJob(b -> b.trainingJobName("stopped")),
        x -> "Training".equals(x.secondaryStatusAsString()), Duration.ofSeconds(60));
    Path local = state.resolve("jobs/stopped/ml/checkpoints");
    await(() -> local.toFile().list(), names -> names != null && names.length > 0, Duration.ofSeconds(60));
    sm.stopTrainingJob(b -> b.trainingJobName("stopped"));
    DescribeTrainingJobResponse stopped = awaitJob("stopped");
    assertThat(stopped.trainingJobStatus()).as(stopped.failureReason()).isEqualTo(TrainingJobStatus.STOPPED);
    // The checkpoints the stopped job wrote are synced to CheckpointConfig.S3Uri.
    assertThat(s3.listObjectsV2(b -> b.bucket("data").prefix("ckpt/stopped/")).contents())
        .extracting(o -> o.key()).anySatisfy(k -> assertThat(k).startsWith("ckpt/stopped/xgboost-checkpoint."));
    DescribeTrainingJobResponse timedOut = awaitJob("timed-out");
    assertThat(timedOut.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
    assertThat(timedOut.secondaryStatusAsString()).isEqualTo("MaxRuntimeExceeded");
    assertThat(timedOut.secondaryStatusTransitions()).extracting(t -> t.statusAsString())
        .containsSubsequence("Starting", "Downloading", "Training", "MaxRuntimeExceeded").doesNotHaveDuplicates();
    assertThatThrownBy(() -> sm.stopTrainingJob(b -> b.trainingJobName("nope")))
        .isInstanceOfSatisfying(SageMakerException.class, ex -> assertThat(ex.awsErrorDetails().errorCode())
            .isEqualTo("ResourceNotFound"));
  }

  @Test
  void twoInstancesTrainAsTwoHostsOnTheirShards() throws Exception {
    upload();
    List<String> rows = Files.readAllLines(SAMPLES.resolve("xgboost/input/data/train/breast_cancer.csv"));
    s3.putObject(b -> b.bucket("data").key("shards/part-0.csv"), RequestBody.fromString(
        String.join("\n", rows.subList(0, 200)) + "\n"));
    s3.putObject(b -> b.bucket("data").key("shards/part-1.csv"), RequestBody.fromString(
        String.join("\n", rows.subList(200, rows.size())) + "\n"));
    Channel sharded = Channel.builder().channelName("train").contentType("text/csv").dataSource(d -> d.s3DataSource(
        S3DataSource.builder().s3DataType("S3Prefix").s3Uri("s3://data/shards/")
            .s3DataDistributionType("ShardedByS3Key").build())).build();
    for (int instances : new int[] {2, 3}) {
      String name = "hosts-" + instances;
      sm.createTrainingJob(b -> b.trainingJobName(name)
          .algorithmSpecification(AlgorithmSpecification.builder().trainingImage(XGB).trainingInputMode("File")
              .build())
          .roleArn("arn:aws:iam::000000000000:role/r")
          .hyperParameters(Map.of("objective", "binary:logistic", "num_round", "10", "eval_metric", "auc"))
          .inputDataConfig(sharded, channel("validation"))
          .outputDataConfig(o -> o.s3OutputPath("s3://data/out"))
          .resourceConfig(r -> r.instanceCount(instances).instanceType("ml.m5.large").volumeSizeInGB(1))
          .stoppingCondition(x -> x.maxRuntimeInSeconds(600)));
    }
    DescribeTrainingJobResponse two = awaitJob("hosts-2");
    assertThat(two.trainingJobStatus()).as(two.failureReason()).isEqualTo(TrainingJobStatus.COMPLETED);
    assertThat(state.resolve("jobs/hosts-2/ml/input/data/train/part-0.csv")).exists();
    assertThat(state.resolve("jobs/hosts-2/ml/input/data/train/part-1.csv")).doesNotExist();
    assertThat(state.resolve("jobs/hosts-2/algo-2/ml/input/data/train/part-1.csv")).exists();
    assertThat(Files.readString(state.resolve("jobs/hosts-2/algo-2/ml/input/config/resourceconfig.json")))
        .contains("\"current_host\":\"algo-2\"");
    assertThat(two.finalMetricDataList()).extracting(m -> m.metricName()).contains("validation:auc");
    assertThat(s3.headObject(b -> b.bucket("data").key("out/hosts-2/output/model.tar.gz")).contentLength())
        .isPositive();
    DescribeTrainingJobResponse three = awaitJob("hosts-3");
    assertThat(three.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(three.failureReason()).contains("ShardedByS3Key over 3 instances");
  }

  @Test
  void aJobThatWasRunningWhenTheApiStoppedIsFailedAfterARestart() throws Exception {
    ObjectNode doc = Json.object();
    doc.put("TrainingJobName", "orphan");
    doc.put("TrainingJobStatus", "InProgress");
    doc.put("SecondaryStatus", "Training");
    doc.put("CreationTime", Json.now());
    stop();
    try (StateDatabase db = StateDatabase.open(state)) {
      db.put("training-jobs", "orphan", doc.toString());
    }
    startApi();
    DescribeTrainingJobResponse d = sm.describeTrainingJob(b -> b.trainingJobName("orphan"));
    assertThat(d.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
    assertThat(d.failureReason()).contains("API restarted");
  }

  @Test
  void aSecondApiOnTheSameStateFolderIsRefused() {
    assertThatThrownBy(() -> SageboxApi.start(ApiSettings.from(Map.of(ApiSettings.HOME, ".."), new String[0])
        .with(0, state, 0))).hasMessageContaining("another 'sagebox api'");
  }

  @Test
  void aRequestWithoutTheOperationHeaderIsToldWhereTheOperationGoes() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("UnknownOperationException").contains("no X-Amz-Target header")
        .contains("CreateTrainingJob").doesNotContain("Operation null");
  }

  @Test
  void errorsAreAwsShaped() {
    assertThatThrownBy(() -> sm.describeTrainingJob(b -> b.trainingJobName("no-such-job")))
        .isInstanceOfSatisfying(SageMakerException.class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(400);
          assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(ex.requestId()).isNotBlank();
        });
    assertThatThrownBy(() -> sm.createTrainingJob(b -> b.trainingJobName("bad-image")
        .algorithmSpecification(a -> a.trainingImage("my-own:1").trainingInputMode("File"))
        .roleArn("r").outputDataConfig(o -> o.s3OutputPath("s3://data/out"))
        .resourceConfig(r -> r.instanceCount(1).instanceType("ml.m5.large").volumeSizeInGB(1))
        .stoppingCondition(s -> s.maxRuntimeInSeconds(60))))
        .isInstanceOfSatisfying(SageMakerException.class, ex -> assertThat(ex.awsErrorDetails().errorMessage())
            .contains("not a built-in"));
    assertThatThrownBy(() -> sm.describeNotebookInstance(b -> b.notebookInstanceName("n")))
        .isInstanceOfSatisfying(SageMakerException.class, ex -> assertThat(ex.awsErrorDetails().errorMessage())
            .contains("not supported").contains("CreateTrainingJob"));
    assertThatThrownBy(() -> rt.invokeEndpoint(b -> b.endpointName("nope").contentType("text/csv")
        .body(SdkBytes.fromUtf8String("1"))))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException.class,
            ex -> assertThat(ex.getMessage()).contains("not found"));
  }
}
