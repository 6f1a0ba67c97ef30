package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.linear.LinearModel;
import dev.sagebox.engine.linear.LinearOnnx;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linear-learner model folder served over real HTTP (port 0) through ONNX Runtime by default and by the Java
 * predictor with {@code SAGEBOX_RUNTIME=native}: the same statuses, columns and labels, scores equal to float
 * rounding, and byte-identical bodies wherever the arithmetic is exact in both.
 */
class OnnxRuntimeServingTest {
  @TempDir
  static Path shared;
  static Path trained;
  static List<String> validationRows;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InferenceServer> servers = new ArrayList<>();

  static AlgorithmRegistry registry() {
    return new AlgorithmRegistry(List.of(new LinearLearnerAlgorithm("test")));
  }

  @BeforeAll
  static void trainTheSample() throws IOException {
    trained = SampleTrees.copy("linear-learner", shared.resolve("ll"));
    int code = new TrainCommand(SampleTrees.settings(trained), registry(),
        new PrintStream(OutputStream.nullOutputStream()), () -> false).run();
    assertThat(code).isZero();
    validationRows = Files.readAllLines(trained.resolve("input/data/validation/breast_cancer.csv")).stream()
        .map(l -> l.substring(l.indexOf(',') + 1)).toList();
  }

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  private URI start(Path base, String... env) {
    ContainerSettings settings = SampleTrees.settings(base, env);
    ModelSlot slot = new ModelSlot();
    slot.load(() -> new ModelLoader(registry()).load(settings.modelDir(), settings.predictorOptions()));
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot);
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.start());
  }

  private HttpResponse<String> post(URI uri, String contentType, String accept, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri.resolve("/invocations")).header("Content-Type", contentType)
        .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String simpleName(Path base, String... env) {
    ContainerSettings settings = SampleTrees.settings(base, env);
    try (Predictor p = new ModelLoader(registry()).load(settings.modelDir(), settings.predictorOptions())) {
      return p.getClass().getSimpleName();
    }
  }

  private static String sha256(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    }
  }

  @Test
  void trainingCommitsModelOnnxWithItsChecksumInTheManifest() throws Exception {
    Path model = trained.resolve("model");
    ModelManifest manifest = ModelManifest.readIfPresent(model);
    assertThat(manifest.files()).containsKeys(LinearModel.FILE_NAME, OnnxModelWriter.FILE_NAME);
    assertThat(manifest.files().get(OnnxModelWriter.FILE_NAME).sha256())
        .isEqualTo(sha256(model.resolve(OnnxModelWriter.FILE_NAME)));
    assertThat(model.resolve(ModelFolder.STAGING)).doesNotExist();
  }

  @Test
  void onnxRuntimeServesByDefaultAndTheJavaPredictorOnRequest() {
    assertThat(simpleName(trained)).isEqualTo("OnnxLinearPredictor");
    assertThat(simpleName(trained, SageMakerEnv.RUNTIME, "onnx")).isEqualTo("OnnxLinearPredictor");
    assertThat(simpleName(trained, SageMakerEnv.RUNTIME, "native")).isEqualTo("LinearPredictor");
  }

  @Test
  void bothRuntimesGiveTheSameAnswersOverHttp() throws Exception {
    URI onnx = start(trained);
    URI plain = start(trained, SageMakerEnv.RUNTIME, "native");
    String csv = String.join("\n", validationRows);
    String instances = Files.readString(trained.resolve("request.json"));
    for (String[] request : new String[][] {{"text/csv", csv}, {"application/json", instances}}) {
      HttpResponse<String> a = post(onnx, request[0], "application/json", request[1]);
      HttpResponse<String> b = post(plain, request[0], "application/json", request[1]);
      assertThat(a.statusCode()).isEqualTo(200);
      assertThat(b.statusCode()).isEqualTo(200);
      JsonNode pa = JSON.readTree(a.body()).get("predictions");
      JsonNode pb = JSON.readTree(b.body()).get("predictions");
      assertThat(pa.size()).isEqualTo(pb.size()).isGreaterThan(4);
      for (int i = 0; i < pb.size(); i++) {
        List<String> keys = new ArrayList<>();
        pa.get(i).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("score", "predicted_label");
        assertThat(pa.get(i).get("predicted_label")).isEqualTo(pb.get(i).get("predicted_label"));
        assertThat(pa.get(i).get("score").asDouble()).isCloseTo(pb.get(i).get("score").asDouble(),
            org.assertj.core.data.Offset.offset(1e-5));
      }
    }
    // Labels only: nothing left to round, so the bodies are the same bytes.
    URI onnxLabels = start(trained, SageMakerEnv.INFERENCE_OUTPUT, "predicted_label");
    URI plainLabels = start(trained, SageMakerEnv.INFERENCE_OUTPUT, "predicted_label", SageMakerEnv.RUNTIME,
        "native");
    for (String accept : List.of("text/csv", "application/json", "application/jsonlines")) {
      String a = post(onnxLabels, "text/csv", accept, csv).body();
      assertThat(a).isEqualTo(post(plainLabels, "text/csv", accept, csv).body()).isNotBlank();
    }
    // Errors come from the same checks, word for word (only the request id differs).
    HttpResponse<String> badA = post(onnx, "text/csv", "text/csv", "1,2,3");
    HttpResponse<String> badB = post(plain, "text/csv", "text/csv", "1,2,3");
    assertThat(badA.statusCode()).isEqualTo(400).isEqualTo(badB.statusCode());
    JsonNode errA = JSON.readTree(badA.body());
    JsonNode errB = JSON.readTree(badB.body());
    assertThat(errA.get("detail").asText()).contains("the model expects 30").isEqualTo(errB.get("detail").asText());
    assertThat(errA.get("title")).isEqualTo(errB.get("title"));
  }

  /**
   * A regressor whose weights, scales and means are small powers of two, asked about whole-number features: every
   * product and sum is exact in float, whatever the summation order, so both runtimes must give the same bytes
   * (missing values included).
   */
  @Test
  void exactArithmeticGivesByteIdenticalResponses() throws Exception {
    Path base = Files.createDirectories(shared.resolve("exact"));
    ModelFolder folder = new ModelFolder(base.resolve("model"));
    Path staging = folder.stage();
    LinearModel m = new LinearModel("regressor", "squared_loss", 3, 1, new float[] {0.5f, -0.25f, 2f},
        new float[] {1.5f}, new float[] {1f, 2f, 0f}, new float[] {2f, 0.5f, 1f}, 10f, 4f, 0f);
    JSON.writeValue(staging.resolve(LinearModel.FILE_NAME).toFile(), m);
    LinearOnnx.write(m, staging.resolve(OnnxModelWriter.FILE_NAME));
    new ModelManifest(ModelManifest.CURRENT_FORMAT, LinearLearnerAlgorithm.NAME, LinearModel.FILE_NAME, 3,
        "regressor", null, "test", Map.of("predictor_type", "regressor", "loss", "squared_loss")).write(staging);
    folder.commit();
    assertThat(simpleName(base)).isEqualTo("OnnxLinearPredictor");

    Random r = new Random(11);
    StringBuilder csv = new StringBuilder();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      int[] v = {r.nextInt(201) - 100, r.nextInt(201) - 100, r.nextInt(201) - 100};
      String row = v[0] + "," + (i % 7 == 0 ? "" : Integer.toString(v[1])) + "," + v[2];
      csv.append(row).append('\n');
      lines.append("{\"features\": [").append(v[0]).append(',').append(v[1]).append(',').append(v[2]).append("]}\n");
    }
    URI onnx = start(base);
    URI plain = start(base, SageMakerEnv.RUNTIME, "native");
    for (String[] request : new String[][] {{"text/csv", csv.toString()},
        {"application/jsonlines", lines.toString()}}) {
      for (String accept : List.of("text/csv", "application/json", "application/jsonlines")) {
        HttpResponse<String> a = post(onnx, request[0], accept, request[1]);
        HttpResponse<String> b = post(plain, request[0], accept, request[1]);
        assertThat(a.statusCode()).isEqualTo(200).isEqualTo(b.statusCode());
        assertThat(a.body()).as(request[0] + " -> " + accept).isEqualTo(b.body());
      }
    }
    // The first row, by hand: ((3-1)/2, (1-2)/0.5, (-2-0)/1) = (1, -2, -2); 1.5 + 0.5 + 0.5 - 4 = -1.5; x4 +10 = 4.
    assertThat(post(onnx, "text/csv", "text/csv", "3,1,-2").body().strip()).isEqualTo("4.0");
    assertThat(post(onnx, "text/csv", "text/csv", "3,,-2").body().strip()).isEqualTo("2.0");
  }
}
