package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.data.recordio.RecordIOReader;
import dev.sagebox.engine.data.recordio.RecordIOWriter;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Float32Tensor;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on port 0, called over loopback with the JDK's HTTP client: one test per status code. */
class InferenceServerTest {
  @TempDir
  static Path shared;
  static Path base;
  static List<String> rows;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InferenceServer> servers = new ArrayList<>();

  @BeforeAll
  static void trainOnce() throws IOException {
    base = SampleTrees.copy("xgboost", shared.resolve("ml"));
    int code = new TrainCommand(SampleTrees.settings(base), registry(),
        new PrintStream(OutputStream.nullOutputStream()), () -> false).run();
    assertThat(code).isZero();
    rows = Files.readAllLines(base.resolve("request.csv"));
  }

  static AlgorithmRegistry registry() {
    return new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
  }

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  /** Starts a server on a free port; the model is loaded first unless {@code load} is false. */
  private URI start(boolean load, String... env) {
    ContainerSettings settings = SampleTrees.settings(base, env);
    ModelSlot slot = new ModelSlot();
    if (load) {
      slot.load(() -> new ModelLoader(registry()).load(settings.modelDir(),
          new PredictorOptions(settings.inferenceOutputs(), 1)));
    }
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot);
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.start());
  }

  private HttpResponse<String> post(URI uri, String contentType, String accept, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve("/invocations"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String jsonRows(List<String> csvRows) {
    return "{\"instances\": [" + String.join(",", csvRows.stream().map(r -> "[" + r + "]").toList()) + "]}";
  }

  @Test
  void pingIs200WithAnEmptyBodyOnceLoaded() throws Exception {
    HttpResponse<String> r = get(start(true), "/ping");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void pingAndInvocationsAre503WhileLoading() throws Exception {
    URI uri = start(false);
    assertThat(get(uri, "/ping").statusCode()).isEqualTo(503);
    HttpResponse<String> r = post(uri, "text/csv", null, rows.get(0));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("still loading");
  }

  @Test
  void aModelThatFailsToLoadGives500WithTheReason() throws Exception {
    ContainerSettings settings = SampleTrees.settings(base, SageMakerEnv.MODEL_DIR, shared.resolve("nope")
        .toString());
    ModelSlot slot = new ModelSlot();
    slot.load(() -> new ModelLoader(registry()).load(settings.modelDir(), PredictorOptions.defaults()));
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot);
    servers.add(server);
    URI uri = URI.create("http://127.0.0.1:" + server.start());
    HttpResponse<String> r = get(uri, "/ping");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("does not exist");
  }

  @Test
  void csvInCsvOutOneLinePerRecord() throws Exception {
    HttpResponse<String> r = post(start(true), "text/csv", null, String.join("\n", rows) + "\n");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    List<Double> scores = r.body().lines().map(Double::parseDouble).toList();
    assertThat(scores).hasSize(5);
    assertThat(scores.get(0)).isLessThan(0.5);
    assertThat(scores.get(1)).isGreaterThan(0.5);
  }

  @Test
  void jsonAndJsonLinesInAndOutGiveTheSameScoresAsCsv() throws Exception {
    URI uri = start(true);
    List<String> csv = post(uri, "text/csv", "text/csv", String.join("\n", rows)).body().lines().toList();
    HttpResponse<String> json = post(uri, "application/json", "application/json", jsonRows(rows));
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).startsWith("{\"predictions\":[{\"score\":" + csv.get(0) + "}");
    String lines = String.join("\n", rows.stream().map(r -> "{\"features\": [" + r + "]}").toList());
    HttpResponse<String> jsonl = post(uri, "application/jsonlines", "application/jsonlines", lines);
    assertThat(jsonl.body().lines().toList()).hasSize(5).first().isEqualTo("{\"score\":" + csv.get(0) + "}");
    HttpResponse<String> bare = post(uri, "application/json", null, "[[" + rows.get(1) + "]]");
    assertThat(bare.body().strip()).isEqualTo(csv.get(1));
  }

  @Test
  void libsvmRequestsUseZeroBasedIndices() throws Exception {
    URI uri = start(true);
    String[] f = rows.get(0).split(",");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      sb.append(i).append(':').append(f[i]).append(' ');
    }
    HttpResponse<String> r = post(uri, "text/libsvm", null, sb.toString().strip());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(post(uri, "text/csv", null, rows.get(0)).body());
  }

  @Test
  void recordioProtobufInAndOutGivesTheSameScoresAsCsv() throws Exception {
    URI uri = start(true);
    List<String> csv = post(uri, "text/csv", "text/csv", String.join("\n", rows)).body().lines().toList();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    RecordIOWriter writer = new RecordIOWriter(body);
    for (String row : rows) {
      Float32Tensor.Builder t = Float32Tensor.newBuilder();
      for (String v : row.split(",")) {
        t.addValues(Float.parseFloat(v));
      }
      writer.write(Record.newBuilder().putFeatures("values", Value.newBuilder().setFloat32Tensor(t).build())
          .build().toByteArray());
    }
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri.resolve("/invocations"))
        .header("Content-Type", "application/x-recordio-protobuf").header("Accept", "application/x-recordio-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/x-recordio-protobuf"));
    RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(r.body()), "response");
    List<String> scores = new ArrayList<>();
    while (reader.next()) {
      Record record = Record.parser().parseFrom(reader.payload(), 0, reader.length());
      scores.add(Float.toString(record.getLabelOrThrow("score").getFloat32Tensor().getValues(0)));
    }
    assertThat(scores).hasSize(rows.size());
    for (int i = 0; i < scores.size(); i++) {
      assertThat(Float.parseFloat(scores.get(i))).isEqualTo(Float.parseFloat(csv.get(i)));
    }
  }

  @Test
  void defaultAcceptComesFromTheEnvironment() throws Exception {
    URI uri = start(true, SageMakerEnv.DEFAULT_INVOCATIONS_ACCEPT, "application/json");
    assertThat(post(uri, "text/csv", "*/*", rows.get(0)).body()).startsWith("{\"predictions\":");
    assertThat(post(uri, "text/csv", null, rows.get(0)).body()).startsWith("{\"predictions\":");
  }

  @Test
  void selectableOutputs() throws Exception {
    URI uri = start(true, SageMakerEnv.INFERENCE_OUTPUT, "predicted_label,probabilities");
    HttpResponse<String> csv = post(uri, "text/csv", null, rows.get(1));
    assertThat(csv.body()).matches("1,\"\\[0\\.\\d+, 0\\.\\d+\\]\"\n");
    HttpResponse<String> json = post(uri, "text/csv", "application/json", rows.get(0));
    assertThat(json.body()).matches("\\{\"predictions\":\\[\\{\"predicted_label\":0,\"probabilities\":\\[0\\.\\d+,"
        + "0\\.\\d+(E-\\d+)?\\]\\}\\]\\}");
  }

  @Test
  void emptyBodyIs204() throws Exception {
    assertThat(post(start(true), "text/csv", null, "").statusCode()).isEqualTo(204);
  }

  @Test
  void malformedBodyIs400WithLineAndColumn() throws Exception {
    URI uri = start(true);
    HttpResponse<String> r = post(uri, "text/csv", null, rows.get(0) + "\n" + rows.get(1).replaceFirst(",", ",x"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).contains("\"status\":400").contains("line 2, column 2").contains("cannot read value");
    HttpResponse<String> json = post(uri, "application/json", null, "{\"instances\": [[1, 2,");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).contains("malformed JSON").contains("line 1");
  }

  @Test
  void wrongFeatureCountIs400NamingBothCounts() throws Exception {
    URI uri = start(true);
    String withLabel = "1," + rows.get(0);
    HttpResponse<String> r = post(uri, "text/csv", null, withLabel);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("found 31 feature(s); the model expects 30");
    String short29 = rows.get(0).substring(rows.get(0).indexOf(',') + 1);
    assertThat(post(uri, "text/csv", null, short29).body()).contains("found 29 feature(s); the model expects 30");
  }

  @Test
  void unsupportedAcceptIs406ListingTheSupportedTypes() throws Exception {
    HttpResponse<String> r = post(start(true), "text/csv", "application/x-parquet", rows.get(0));
    assertThat(r.statusCode()).isEqualTo(406);
    assertThat(r.body()).contains("\"supported\":[\"text/csv\",\"application/json\",\"application/jsonlines\","
        + "\"application/x-recordio-protobuf\"]");
  }

  @Test
  void oversizeBodyIs413WithOrWithoutContentLength() throws Exception {
    URI uri = start(true, SageMakerEnv.MAX_PAYLOAD_IN_MB, "1");
    byte[] big = (rows.get(0) + "\n").repeat(1_100_000 / rows.get(0).length()).getBytes(StandardCharsets.UTF_8);
    assertThat(big.length).isGreaterThan(1 << 20);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/invocations"))
        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("exceeds the limit of 1048576 bytes");
    HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri.resolve("/invocations"))
        .header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    byte[] justUnder = (rows.get(0) + "\n").repeat(1_000_000 / rows.get(0).length() / 2)
        .getBytes(StandardCharsets.UTF_8);
    assertThat(http.send(HttpRequest.newBuilder(uri.resolve("/invocations")).header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofByteArray(justUnder)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
  }

  @Test
  void unknownContentTypeIs415ListingTheAcceptedTypes() throws Exception {
    HttpResponse<String> r = post(start(true), "application/x-parquet", null, "x");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("application/x-parquet").contains("\"accepted\":[\"text/csv\"");
    assertThat(post(start(true), null, null, "1").statusCode()).isEqualTo(415);
  }

  @Test
  void unknownRouteIs404AndExecutionParametersAnswer() throws Exception {
    URI uri = start(true);
    HttpResponse<String> none = get(uri, "/predict");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("no route GET /predict; routes: GET /ping, POST /invocations");
    HttpResponse<String> r = get(uri, "/execution-parameters");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).matches("\\{\"MaxConcurrentTransforms\":\\d+,\"BatchStrategy\":\"MULTI_RECORD\","
        + "\"MaxPayloadInMB\":6}");
  }

  @Test
  void unknownHeadersAreIgnoredAndTheInferenceIdIsEchoedInErrors() throws Exception {
    URI uri = start(true);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/invocations"))
        .header("Content-Type", "text/csv").header("X-Foo", "bar")
        .header("X-Amzn-SageMaker-Inference-Id", "req-42")
        .POST(HttpRequest.BodyPublishers.ofString("1,2")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"requestId\":\"req-42\"");
  }

  @Test
  void concurrentRequestsNeverMixUpResults() throws Exception {
    URI uri = start(true);
    List<String> expected = new ArrayList<>();
    for (String row : rows) {
      expected.add(post(uri, "text/csv", null, row).body());
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int k = i % rows.size();
        results.add(pool.submit(() -> post(uri, "text/csv", null, rows.get(k)).body().equals(expected.get(k))));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sageMakerBatchGivesOnePredictionPerLineWhateverTheAccept() throws Exception {
    URI uri = start(true, "SAGEMAKER_BATCH", "true");
    HttpResponse<String> r = post(uri, "text/csv", "application/json", String.join("\n", rows.subList(0, 3)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(r.body()).endsWith("\n");
    assertThat(r.body().lines().toList()).hasSize(3).allMatch(l -> l.matches("0\\.\\d+|1(\\.0)?|\\d\\.\\d+E-\\d+"));
  }

  @Test
  void lenientFeatureCheckTreatsMissingTrailingFeaturesAsMissing() throws Exception {
    String short29 = rows.get(0).substring(0, rows.get(0).lastIndexOf(','));
    HttpResponse<String> strict = post(start(true), "text/csv", null, short29);
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(strict.body()).contains("SAGEBOX_FEATURE_CHECK=lenient");
    HttpResponse<String> lenient = post(start(true, "SAGEBOX_FEATURE_CHECK", "lenient"), "text/csv", null, short29);
    assertThat(lenient.statusCode()).isEqualTo(200);
    assertThat(Double.parseDouble(lenient.body().strip())).isBetween(0.0, 1.0);
  }

  @Test
  void csvLabelSizeOtherThanOneIs415() throws Exception {
    URI uri = start(true);
    assertThat(post(uri, "text/csv; label_size=1", null, rows.get(0)).statusCode()).isEqualTo(200);
    HttpResponse<String> r = post(uri, "text/csv; label_size=5", null, rows.get(0));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("label_size must be 1");
  }
}
