package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Open Inference Protocol v2 REST routes over real HTTP, for an XGBoost model and an ONNX model. */
class OipServingTest {
  private static final Path XGB = SampleTrees.repoRoot().resolve(
      "engine/src/test/resources/xgboost-models/multi_softprob.json");
  private static final Path MLP = SampleTrees.repoRoot().resolve("engine/src/test/resources/onnx/mlp.onnx");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InferenceServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  private URI serve(Path file, String asName) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Files.copy(file, dir.resolve(asName));
    ContainerSettings settings = SampleTrees.settings(tmp, SageMakerEnv.MODEL_DIR, dir.toString());
    ModelSlot slot = new ModelSlot();
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    slot.loadModel(() -> new ModelLoader(registry).loadServed(dir, new PredictorOptions(List.of(), 1), 1_000_000));
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot);
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.start());
  }

  private HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String infer(String input, String datatype, String shape, String data, String extra) {
    return "{\"inputs\": [{\"name\": \"" + input + "\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape
        + ", \"data\": " + data + "}]" + extra + "}";
  }

  @Test
  void xgboostThroughTheProtocolAnswersAsInvocations() throws Exception {
    URI base = serve(XGB, "xgboost-model.json");
    JsonNode meta = JSON.readTree(send(base, "GET", "/v2/models/model", null).body());
    assertThat(meta.get("platform").asText()).isEqualTo("sagebox_xgboost");
    assertThat(meta.at("/inputs/0/shape").toString()).isEqualTo("[-1,5]");
    assertThat(meta.at("/outputs/0/name").asText()).isEqualTo("score");

    HttpResponse<String> r = send(base, "POST", "/v2/models/model/infer",
        infer("input", "FP32", "[2, 5]", "[[1, 2, 3, 4, 5], [0.5, -1, 2, 0, 1]]", ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode out = JSON.readTree(r.body()).at("/outputs/0");
    assertThat(out.get("name").asText()).isEqualTo("score");
    assertThat(out.get("shape").toString()).isEqualTo("[2,3]");
    HttpResponse<String> csv = http.send(HttpRequest.newBuilder(base.resolve("/invocations"))
        .header("Content-Type", "text/csv").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("1,2,3,4,5\n0.5,-1,2,0,1\n")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode viaInvocations = JSON.readTree(csv.body()).get("predictions");
    for (int row = 0; row < 2; row++) {
      for (int k = 0; k < 3; k++) {
        assertThat(out.get("data").get(row * 3 + k).floatValue())
            .isEqualTo(viaInvocations.get(row).get("score").get(k).floatValue());
      }
    }
    // BYTES rows of CSV, and one row without a batch axis.
    HttpResponse<String> bytes = send(base, "POST", "/v2/models/model/infer",
        infer("rows", "BYTES", "[2]", "[\"1,2,3,4,5\", \"0.5,-1,2,0,1\"]", ""));
    assertThat(JSON.readTree(bytes.body()).at("/outputs/0/data")).isEqualTo(out.get("data"));
    HttpResponse<String> one = send(base, "POST", "/v2/models/model/infer",
        infer("input", "FP64", "[5]", "[1, 2, 3, 4, 5]", ", \"outputs\": [{\"name\": \"score\"}]"));
    assertThat(JSON.readTree(one.body()).at("/outputs/0/shape").toString()).isEqualTo("[1,3]");
  }

  @Test
  void badRequestsGetTheProtocolsErrorForm() throws Exception {
    URI base = serve(XGB, "xgboost-model.json");
    String[][] cases = {
        {infer("input", "FP32", "[2, 4]", "[1,2,3,4,5,6,7,8]", ""), "expects shape [N, 5]"},
        {infer("input", "FP32", "[1, 5]", "[1,2,3]", ""), "needs 5 values but data holds 3"},
        {infer("input", "FP16", "[1, 5]", "[1,2,3,4,5]", ""), "accepted: FP32, FP64, INT32, INT64, BYTES"},
        {infer("input", "FP32", "[1, 5]", "[1,2,\"x\",4,5]", ""), "not a number"},
        {infer("input", "FP32", "[1, 5]", "[1,2,3,4,5]", ", \"outputs\": [{\"name\": \"nope\"}]"), "outputs: score"},
        {"{\"inputs\": []}", "needs \"inputs\""},
        // One output per BYTES element: an empty element or one of several lines would shift them against the rows.
        {infer("rows", "BYTES", "[3]", "[\"1,2,3,4,5\", \"\", \"0.5,-1,2,0,1\"]", ""), "data[1] is empty"},
        {infer("rows", "BYTES", "[1]", "[\"   \"]", ""), "data[0] is empty"},
        {infer("input", "FP32", "[1000000000000, 5]", "[1,2,3,4,5]", ""), "shape [1000000000000,5] holds more than"},
        {infer("input", "FP32", "[100000000, 100000000000000]", "[1]", ""), "holds more than"},
        {infer("rows", "BYTES", "[1]", "[\"1,2,3,4,5\\n0.5,-1,2,0,1\"]", ""), "data[0] holds more than one line"},
        {"{not json", "not JSON"},
        // Integer datatypes carry whole numbers, for table models too (a fraction was silently taken as it was).
        {infer("input", "INT32", "[1, 5]", "[1,2,3.5,4,5]", ""), "value 3 is 3.5, not an INT32 (a whole number in"},
        {infer("input", "INT64", "[1, 5]", "[1,2,3,4,0.25]", ""), "value 5 is 0.25, not an INT64"},
        {infer("input", "INT32", "[1, 5]", "[1,2,3,4,3000000000]", ""), "value 5 is 3000000000, not an INT32"},
        {infer("input", "INT64", "[1, 5]", "[1,2,3,4,9223372036854775808]", ""), "value 5 is 9223372036854775808"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = send(base, "POST", "/v2/models/model/infer", c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).as(c[0]).contains(c[1]);
    }
    assertThat(send(base, "POST", "/v2/models/model/infer", infer("input", "INT32", "[1, 5]", "[1,2,3,4,5]", ""))
        .statusCode()).isEqualTo(200);
    HttpResponse<String> missing = send(base, "POST", "/v2/models/other/infer", infer("input", "FP32", "[1, 5]",
        "[1,2,3,4,5]", ""));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error").asText()).contains("serves 'model'");
    assertThat(send(base, "GET", "/v2/models/model/infer", null).statusCode()).isEqualTo(405);
  }

  @Test
  void aModelWithAScalarOutputAnswersThroughTheProtocol() throws Exception {
    Path file = tmp.resolve("sum.onnx");
    Files.write(file, ScalarOnnx.reduceSum());
    URI base = serve(file, "model.onnx");
    HttpResponse<String> r = send(base, "POST", "/v2/models/model/infer",
        infer("x", "FP32", "[2, 3]", "[1,2,3,4,5,6]", ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode out = JSON.readTree(r.body()).at("/outputs/0");
    assertThat(out.get("shape")).isEmpty();
    assertThat(out.at("/data/0").asDouble()).isEqualTo(21.0);
  }

  /** The smallest ONNX model with a scalar output: ReduceSum of x[N, 3] with keepdims 0, written by hand. */
  private static final class ScalarOnnx {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    static byte[] reduceSum() {
      byte[] dims = new ScalarOnnx().bytes(1, new ScalarOnnx().bytes(2, "N").done())
          .bytes(1, new ScalarOnnx().varint(1, 3).done()).done();
      byte[] xType = new ScalarOnnx().bytes(1, new ScalarOnnx().varint(1, 1).bytes(2, dims).done()).done();
      byte[] yType = new ScalarOnnx().bytes(1, new ScalarOnnx().varint(1, 1).bytes(2, new byte[0]).done()).done();
      byte[] keepdims = new ScalarOnnx().bytes(1, "keepdims").varint(3, 0).varint(20, 2).done();
      byte[] node = new ScalarOnnx().bytes(1, "x").bytes(2, "y").bytes(3, "sum").bytes(4, "ReduceSum")
          .bytes(5, keepdims).done();
      byte[] graph = new ScalarOnnx().bytes(1, node).bytes(2, "g")
          .bytes(11, new ScalarOnnx().bytes(1, "x").bytes(2, xType).done())
          .bytes(12, new ScalarOnnx().bytes(1, "y").bytes(2, yType).done()).done();
      return new ScalarOnnx().varint(1, 8).bytes(8, new ScalarOnnx().bytes(1, "").varint(2, 17).done())
          .bytes(7, graph).done();
    }

    private ScalarOnnx raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    ScalarOnnx varint(int field, long v) {
      return raw((long) field << 3).raw(v);
    }

    ScalarOnnx bytes(int field, byte[] b) {
      raw(((long) field << 3) | 2).raw(b.length);
      out.writeBytes(b);
      return this;
    }

    ScalarOnnx bytes(int field, String s) {
      return bytes(field, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    byte[] done() {
      return out.toByteArray();
    }
  }

  @Test
  void onnxModelsThroughTheProtocolAndAPythonClient() throws Exception {
    URI base = serve(MLP, "model.onnx");
    JsonNode meta = JSON.readTree(send(base, "GET", "/v2/models/model", null).body());
    assertThat(meta.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Process p = new ProcessBuilder(python.toString(),
        SampleTrees.repoRoot().resolve("container/src/test/resources/python/oip_client.py").toString(),
        base.toString().replaceAll("/$", ""), "model").redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(JSON.readTree(output).at("/outputs/0/shape").toString()).isEqualTo("[2,3]");
  }
}
