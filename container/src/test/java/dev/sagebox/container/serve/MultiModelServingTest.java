package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.mme.ModelMemory;
import dev.sagebox.container.mme.ModelRegistry;
import dev.sagebox.container.mme.ModelsRoot;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A multi-model endpoint over real HTTP on port 0: the SageMaker MME API with XGBoost and ONNX models mixed. */
class MultiModelServingTest {
  private static final Path XGB = SampleTrees.repoRoot().resolve(
      "engine/src/test/resources/xgboost-models/binary_logistic.json");
  private static final Path MLP = SampleTrees.repoRoot().resolve("engine/src/test/resources/onnx/mlp.onnx");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  private Path root;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InferenceServer> servers = new ArrayList<>();

  @BeforeEach
  void models() throws Exception {
    root = Files.createDirectories(tmp.resolve("models"));
    for (int i = 0; i < 100; i++) {
      Path dir = Files.createDirectories(root.resolve("xgb" + i + "/model"));
      Files.copy(XGB, dir.resolve("xgboost-model.json"));
    }
    Files.copy(MLP, Files.createDirectories(root.resolve("mlp/model")).resolve("model.onnx"));
  }

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  private URI serve(long budget) {
    ContainerSettings settings = SampleTrees.settings(tmp, SageMakerEnv.MULTI_MODEL, "true");
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    ModelRegistry<ServedModel> models = new ModelRegistry<>(new ModelsRoot(root),
        folder -> new ModelLoader(registry).loadServed(folder, new PredictorOptions(List.of(), 1), 1_000_000),
        ModelMemory::estimate, budget);
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), new ModelSlot(), models);
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.start());
  }

  private HttpResponse<String> send(URI base, String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> load(URI base, String name, String url) throws Exception {
    return send(base, "POST", "/models", "application/json", JSON.createObjectNode().put("model_name", name)
        .put("url", url).toString());
  }

  @Test
  void theSageMakerMultiModelApi() throws Exception {
    URI base = serve(1L << 30);
    assertThat(send(base, "GET", "/ping", null, null).statusCode()).isEqualTo(200);
    assertThat(load(base, "a", root.resolve("xgb1/model").toString()).statusCode()).isEqualTo(200);
    assertThat(load(base, "a", root.resolve("xgb1/model").toString()).statusCode()).isEqualTo(409);
    assertThat(load(base, "onnx", "mlp/model").statusCode()).isEqualTo(200);

    HttpResponse<String> viaMme = send(base, "POST", "/models/a/invoke", "text/csv", "0.5,1,-2,3,0.25\n");
    assertThat(viaMme.statusCode()).isEqualTo(200);
    float score = Float.parseFloat(viaMme.body().strip());
    assertThat(score).isBetween(0f, 1f);
    HttpResponse<String> onnx = send(base, "POST", "/models/onnx/invoke", "application/json",
        "{\"instances\": [[0.1, 0.2, 0.3, 0.4]]}");
    assertThat(onnx.statusCode()).as(onnx.body()).isEqualTo(200);
    assertThat(JSON.readTree(onnx.body()).has("predictions")).isTrue();

    JsonNode list = JSON.readTree(send(base, "GET", "/models", null, null).body());
    assertThat(list.get("models")).hasSize(2);
    assertThat(list.get("models").get(0).get("modelName").asText()).isEqualTo("a");
    JsonNode one = JSON.readTree(send(base, "GET", "/models/a", null, null).body());
    assertThat(one.get("modelUrl").asText()).isEqualTo(root.resolve("xgb1/model").toString());
    assertThat(send(base, "GET", "/models/zzz", null, null).statusCode()).isEqualTo(404);
    assertThat(send(base, "POST", "/models/zzz/invoke", "text/csv", "1,2,3,4,5\n").statusCode()).isEqualTo(404);
    assertThat(send(base, "POST", "/invocations", "text/csv", "1,2,3,4,5\n").statusCode()).isEqualTo(404);

    assertThat(send(base, "DELETE", "/models/a", null, null).statusCode()).isEqualTo(200);
    assertThat(send(base, "DELETE", "/models/a", null, null).statusCode()).isEqualTo(404);
    assertThat(send(base, "POST", "/models/a/invoke", "text/csv", "1,2,3,4,5\n").statusCode()).isEqualTo(404);
  }

  @Test
  void badLoadsAreRefusedWithReasons() throws Exception {
    URI base = serve(1L << 30);
    HttpResponse<String> outside = load(base, "x", "../../etc");
    assertThat(outside.statusCode()).isEqualTo(400);
    assertThat(outside.body()).contains("outside the models root");
    assertThat(load(base, "x/y", "xgb1/model").statusCode()).isEqualTo(400);
    assertThat(send(base, "POST", "/models", "application/json", "{\"url\": \"xgb1/model\"}").body())
        .contains("model_name is missing");
    assertThat(send(base, "POST", "/models", "application/json", "{nope").statusCode()).isEqualTo(400);
    assertThat(send(base, "GET", "/models?limit=0", null, null).statusCode()).isEqualTo(400);
    Files.writeString(Files.createDirectories(root.resolve("junk/model")).resolve("xgboost-model"), "not a model");
    HttpResponse<String> junk = load(base, "junk", "junk/model");
    assertThat(junk.statusCode()).isEqualTo(400);
    assertThat(send(base, "GET", "/models/junk", null, null).statusCode()).isEqualTo(404);
    // Loaded by query parameters, as MMS also accepts.
    assertThat(send(base, "POST", "/models?model_name=q&url=xgb2/model", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aModelLargerThanTheBudgetGets507() throws Exception {
    URI base = serve(1000);
    HttpResponse<String> r = load(base, "a", "xgb1/model");
    assertThat(r.statusCode()).isEqualTo(507);
    assertThat(r.body()).contains("SAGEBOX_MODEL_MEMORY");
  }

  @Test
  void hundredModelsOnASmallBudgetUnderConcurrentRequests() throws Exception {
    long perModel = ModelMemory.estimate(root.resolve("xgb0/model"));
    URI base = serve(perModel * 8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<int[]>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        int[] counts = new int[600];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 150; i++) {
          int m = random.nextInt(100);
          HttpResponse<String> r;
          if (random.nextInt(3) == 0) {
            r = load(base, "m" + m, "xgb" + m + "/model");
          } else if (random.nextInt(10) == 0) {
            r = send(base, "DELETE", "/models/m" + m, null, null);
          } else {
            r = send(base, "POST", "/models/m" + m + "/invoke", "text/csv", "1,2,3,4,5\n");
          }
          if (r.statusCode() != 200 && r.statusCode() != 404 && r.statusCode() != 409) {
            unexpected.add(r.statusCode() + " " + r.body());
          }
          counts[r.statusCode()]++;
        }
        return counts;
      }));
    }
    int[] total = new int[600];
    for (Future<int[]> f : futures) {
      int[] c = f.get(120, TimeUnit.SECONDS);
      for (int i = 0; i < c.length; i++) {
        total[i] += c[i];
      }
    }
    pool.shutdown();
    assertThat(total[500]).as("server errors").isZero();
    assertThat(total[200]).isPositive();
    java.util.Map<Integer, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < total.length; i++) {
      if (total[i] > 0) {
        seen.put(i, total[i]);
      }
    }
    assertThat(total[200] + total[404] + total[409]).as("statuses %s: %s", seen, unexpected).isEqualTo(8 * 150);
    JsonNode list = JSON.readTree(send(base, "GET", "/models?limit=1000", null, null).body());
    assertThat(list.get("models").size()).isLessThanOrEqualTo(8);
  }
}
