package dev.sagebox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SageMaker refuses when a request arrives is refused here too, as a 400 in AWS's shape, before anything is
 * stored or started: found by a hostile client (names over 63 characters were a 500 that left a job stuck
 * InProgress; a list of hyperparameters failed the job later with a Java class name).
 */
class ApiValidationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  Path state;
  private SageboxApi api;

  @BeforeEach
  void start() throws Exception {
    api = SageboxApi.start(ApiSettings.from(Map.of(ApiSettings.HOME, ".."), new String[0]).with(0, state, 0));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  private HttpResponse<String> call(String operation, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/"))
        .header("X-Amz-Target", "SageMaker." + operation).header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A valid CreateTrainingJob request, changed by {@code change}. */
  private static String job(String name, Consumer<ObjectNode> change) throws Exception {
    ObjectNode r = (ObjectNode) Json.MAPPER.readTree("{\"TrainingJobName\": \"" + name + "\", "
        + "\"AlgorithmSpecification\": {\"TrainingImage\": "
        + "\"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1\", \"TrainingInputMode\": "
        + "\"File\"}, \"RoleArn\": \"arn:aws:iam::000000000000:role/r\", \"HyperParameters\": {\"num_round\": "
        + "\"2\"}, \"InputDataConfig\": [{\"ChannelName\": \"train\", \"DataSource\": {\"S3DataSource\": "
        + "{\"S3DataType\": \"S3Prefix\", \"S3Uri\": \"s3://data/train/\"}}}], \"OutputDataConfig\": "
        + "{\"S3OutputPath\": \"s3://data/out\"}, \"ResourceConfig\": {\"InstanceCount\": 1, \"InstanceType\": "
        + "\"ml.m5.large\", \"VolumeSizeInGB\": 1}, \"StoppingCondition\": {\"MaxRuntimeInSeconds\": 60}}");
    change.accept(r);
    return Json.MAPPER.writeValueAsString(r);
  }

  private static void assertValidation(HttpResponse<String> r, String contains) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
    assertThat(body.path("message").asText()).contains(contains).doesNotContain("java.");
  }

  @Test
  void createTrainingJobChecksWhatSageMakerChecks() throws Exception {
    String longName = "a" + "-".repeat(70) + "b";
    assertValidation(call("CreateTrainingJob", job(longName, r -> { })), "length less than or equal to 63");
    assertValidation(call("CreateModel", "{\"ModelName\": \"" + longName + "\"}"), "less than or equal to 63");
    assertValidation(call("CreateTrainingJob", job("hp", r -> r.putArray("HyperParameters").add("a"))),
        "HyperParameters must be a map");
    assertValidation(call("CreateTrainingJob", job("role", r -> r.put("RoleArn", "x"))), "roleArn");
    assertValidation(call("CreateTrainingJob", job("twice", r -> ((com.fasterxml.jackson.databind.node.ArrayNode)
        r.get("InputDataConfig")).add(r.get("InputDataConfig").get(0).deepCopy()))), "'train' is used twice");
    assertValidation(call("CreateTrainingJob", job("mode", r -> ((ObjectNode) r.get("AlgorithmSpecification"))
        .put("TrainingInputMode", "Banana"))), "accepted: File, Pipe, FastFile");
    assertValidation(call("CreateTrainingJob", job("dist", r -> ((ObjectNode) r.at("/InputDataConfig/0/DataSource"
        + "/S3DataSource")).put("S3DataDistributionType", "Foo"))), "accepted: FullyReplicated, ShardedByS3Key");
    assertValidation(call("CreateTrainingJob", job("vol", r -> ((ObjectNode) r.get("ResourceConfig"))
        .put("VolumeSizeInGB", 0))), "between 1 and");
    assertValidation(call("CreateTrainingJob", job("type", r -> ((ObjectNode) r.get("ResourceConfig"))
        .put("InstanceType", "ml.banana"))), "not a SageMaker instance type");
    assertValidation(call("CreateTrainingJob", job("many", r -> {
      ObjectNode hp = r.putObject("HyperParameters");
      for (int i = 0; i < 101; i++) {
        hp.put("k" + i, "1");
      }
    })), "at most 100");
    assertValidation(call("CreateTrainingJob", job("uri", r -> ((ObjectNode) r.get("OutputDataConfig"))
        .put("S3OutputPath", "file:///tmp/a b"))), "not a usable file URI");
    assertValidation(call("CreateTrainingJob", job("uri2", r -> ((ObjectNode) r.get("OutputDataConfig"))
        .put("S3OutputPath", "file://host/x"))), "not a usable file URI");
    // Nothing was stored on the way.
    assertThat(Json.MAPPER.readTree(call("ListTrainingJobs", "{}").body()).path("TrainingJobSummaries")).isEmpty();
    assertThat(Json.MAPPER.readTree(call("ListModels", "{}").body()).path("Models")).isEmpty();
  }

  @Test
  void modelsAndEndpointConfigsKeepSageMakersShape() throws Exception {
    String container = "{\"Image\": \"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1\", "
        + "\"ModelDataUrl\": \"s3://data/m/model.tar.gz\"}";
    assertValidation(call("CreateModel", "{\"ModelName\": \"both\", \"ExecutionRoleArn\": "
        + "\"arn:aws:iam::000000000000:role/r\", \"PrimaryContainer\": " + container + ", \"Containers\": ["
        + container + "]}"), "not both");
    assertThat(call("CreateModel", "{\"ModelName\": \"m\", \"ExecutionRoleArn\": "
        + "\"arn:aws:iam::000000000000:role/r\", \"PrimaryContainer\": " + container + "}").statusCode())
        .isEqualTo(200);
    StringBuilder variants = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      variants.append(i == 0 ? "" : ", ").append("{\"VariantName\": \"v").append(i)
          .append("\", \"ModelName\": \"m\", \"InitialInstanceCount\": 1, \"InstanceType\": \"ml.m5.large\"}");
    }
    assertValidation(call("CreateEndpointConfig", "{\"EndpointConfigName\": \"c\", \"ProductionVariants\": ["
        + variants + "]}"), "less than or equal to 10");
    assertThat(call("CreateEndpointConfig", "{\"EndpointConfigName\": \"c\", \"ProductionVariants\": [{"
        + "\"VariantName\": \"v\", \"ModelName\": \"m\", \"InitialInstanceCount\": 1, \"InstanceType\": "
        + "\"ml.m5.large\"}]}").statusCode()).isEqualTo(200);
    assertThat(call("CreateEndpoint", "{\"EndpointName\": \"Ep\", \"EndpointConfigName\": \"c\"}").statusCode())
        .isEqualTo(200);
    // Endpoint names are unique whatever their case, as on SageMaker (their ARNs are lower case).
    assertValidation(call("CreateEndpoint", "{\"EndpointName\": \"ep\", \"EndpointConfigName\": \"c\"}"),
        "Cannot create already existing endpoint");
  }

  @Test
  void listsRefuseUnknownFiltersAndNeverAnswerAnOverflowedToken() throws Exception {
    assertValidation(call("ListTrainingJobs", "{\"StatusEquals\": \"Bogus\"}"), "accepted: InProgress");
    assertValidation(call("ListModels", "{\"SortBy\": \"Status\"}"), "SortBy 'Status' is invalid here");
    HttpResponse<String> far = call("ListTrainingJobs", "{\"NextToken\": \"2147483647\"}");
    assertThat(far.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(far.body()).has("NextToken")).isFalse();
  }

  @Test
  void unknownRoutesAndOversizedBodiesGetAwsShapedErrors() throws Exception {
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(get.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
    assertThat(Json.MAPPER.readTree(get.body()).path("message").asText()).contains("POST /");
    HttpResponse<String> big = call("ListModels", "{\"x\": \"" + "a".repeat(8 * 1024 * 1024) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.headers().firstValue("x-amzn-ErrorType")).isPresent();
    assertThat(Json.MAPPER.readTree(big.body()).path("message").asText()).contains("6 MB");
  }
}
