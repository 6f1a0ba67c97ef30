package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.NpyReader;
import dev.sagebox.engine.codec.NpyWriter;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.Tensor;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring-your-own ONNX models served over real HTTP on port 0: the committed test models (made by
 * engine/src/test/resources/onnx/make_test_models.py), every request and response form, every 400.
 */
class ByoOnnxServingTest {
  static final Path MODELS = SampleTrees.repoRoot().resolve("engine/src/test/resources/onnx");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InferenceServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  /** A model folder holding only {@code NAME.onnx} (as model.onnx), served on a free port. */
  private URI serve(String name, String... env) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.copy(MODELS.resolve(name + ".onnx"), dir.resolve("model.onnx"));
    return serveFolder(dir, env);
  }

  private URI serveFolder(Path dir, String... env) {
    String[] all = new String[env.length + 2];
    all[0] = SageMakerEnv.MODEL_DIR;
    all[1] = dir.toString();
    System.arraycopy(env, 0, all, 2, env.length);
    ContainerSettings settings = SampleTrees.settings(tmp, all);
    ModelSlot slot = new ModelSlot();
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    slot.loadModel(() -> new ModelLoader(registry).loadServed(settings.modelDir(),
        new PredictorOptions(settings.inferenceOutputs(), 1), settings.maxImagePixels()));
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot);
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.start());
  }

  private HttpResponse<byte[]> post(URI uri, String contentType, String accept, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve("/invocations"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    if (accept != null) {
      b.header("Accept", accept);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> post(URI uri, String contentType, String accept, String body, String... headers)
      throws Exception {
    return post(uri, contentType, accept, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static JsonNode recorded(String name, String part) throws Exception {
    return JSON.readTree(MODELS.resolve(name + ".json").toFile()).get(part);
  }

  /** The recorded rows of a two-dimensional input as CSV lines. */
  private static String csv(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode row : rows) {
      List<String> v = new ArrayList<>();
      row.forEach(x -> v.add(Float.toString((float) x.asDouble())));
      sb.append(String.join(",", v)).append('\n');
    }
    return sb.toString();
  }

  private static void assertNestedClose(JsonNode actual, JsonNode expected) {
    assertThat(actual.isArray()).isEqualTo(expected.isArray());
    if (expected.isArray()) {
      assertThat(actual.size()).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertNestedClose(actual.get(i), expected.get(i));
      }
    } else {
      assertThat(actual.asDouble()).isCloseTo(expected.asDouble(), within(1e-5));
    }
  }

  @Test
  void mlpRowsInEveryTextFormatGiveTorchsOutputsAsJsonByDefault() throws Exception {
    URI uri = serve("mlp");
    JsonNode rows = recorded("mlp", "inputs").get("features");
    JsonNode expected = recorded("mlp", "outputs").get("scores");
    HttpResponse<byte[]> r = post(uri, "text/csv", null, csv(rows));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertNestedClose(json(r).get("predictions"), expected);
    assertNestedClose(json(post(uri, "application/json", null, "{\"instances\": " + rows + "}"))
        .get("predictions"), expected);
    assertNestedClose(json(post(uri, "application/json", null, rows.toString())).get("predictions"), expected);
    StringBuilder lines = new StringBuilder();
    rows.forEach(row -> lines.append(row).append('\n'));
    assertNestedClose(json(post(uri, "application/jsonlines", null, lines.toString())).get("predictions"),
        expected);
    StringBuilder svm = new StringBuilder();
    rows.forEach(row -> {
      for (int k = 0; k < row.size(); k++) {
        svm.append(k).append(':').append(row.get(k).asDouble()).append(' ');
      }
      svm.append('\n');
    });
    assertNestedClose(json(post(uri, "text/libsvm", null, svm.toString())).get("predictions"), expected);
  }

  @Test
  void csvOutIsOneLinePerRowOfTheFirstOutput() throws Exception {
    URI uri = serve("mlp");
    HttpResponse<byte[]> r = post(uri, "text/csv", "text/csv", csv(recorded("mlp", "inputs").get("features")));
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    List<String> lines = new String(r.body(), StandardCharsets.UTF_8).lines().toList();
    JsonNode expected = recorded("mlp", "outputs").get("scores");
    assertThat(lines).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String[] v = lines.get(i).split(",");
      for (int k = 0; k < 3; k++) {
        assertThat(Double.parseDouble(v[k])).isCloseTo(expected.get(i).get(k).asDouble(), within(1e-5));
      }
    }
  }

  @Test
  void cnnTakesNpyAndAnswersNpy() throws Exception {
    URI uri = serve("cnn");
    HttpResponse<byte[]> r = post(uri, "application/x-npy", "application/x-npy",
        Files.readAllBytes(MODELS.resolve("cnn_input.npy")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-npy");
    Tensor out = new NpyReader("response").read(r.body());
    assertThat(out.shape()).containsExactly(2, 10);
    JsonNode expected = recorded("cnn", "outputs").get("probabilities");
    for (int i = 0; i < 20; i++) {
      assertThat(out.valueAt(i)).isCloseTo(expected.get(i / 10).get(i % 10).asDouble(), within(1e-5));
    }
  }

  @Test
  void cnnTakesNestedJsonAndAPngImage() throws Exception {
    URI uri = serve("cnn");
    JsonNode images = recorded("cnn", "inputs").get("image");
    assertNestedClose(json(post(uri, "application/json", null, "{\"instances\": " + images + "}"))
        .get("predictions"), recorded("cnn", "outputs").get("probabilities"));
    BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    img.getGraphics().fillRect(10, 10, 20, 20);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    HttpResponse<byte[]> r = post(uri, "image/png", "application/json", png.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode p = json(r).get("predictions");
    assertThat(p.size()).isEqualTo(1);
    double sum = 0;
    for (JsonNode v : p.get(0)) {
      sum += v.asDouble();
    }
    assertThat(sum).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void severalInputsComeByNameAndAllOutputsOnRequest() throws Exception {
    URI uri = serve("two_inputs");
    String body = "{\"inputs\": " + recorded("two_inputs", "inputs") + "}";
    JsonNode expected = recorded("two_inputs", "outputs");
    HttpResponse<byte[]> first = post(uri, "application/json", null, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertNestedClose(json(first).get("predictions"), expected.get("total"));
    JsonNode all = json(post(uri, "application/json", null, body, OutputSelection.HEADER, "trace=1, outputs=all"));
    assertNestedClose(all.get("outputs").get("total"), expected.get("total"));
    assertNestedClose(all.get("outputs").get("doubled"), expected.get("doubled"));
    JsonNode one = json(post(uri, "application/json", null, body, OutputSelection.HEADER, "outputs=doubled"));
    assertThat(one.get("outputs").size()).isEqualTo(1);
    assertNestedClose(one.get("outputs").get("doubled"), expected.get("doubled"));
  }

  @Test
  void theOutputsEnvironmentVariableSelectsOutputsForEveryRequest() throws Exception {
    URI uri = serve("two_inputs", SageMakerEnv.INFERENCE_OUTPUT, "doubled");
    JsonNode r = json(post(uri, "application/json", null, "{\"inputs\": " + recorded("two_inputs", "inputs") + "}"));
    assertNestedClose(r.get("outputs").get("doubled"), recorded("two_inputs", "outputs").get("doubled"));
    URI bad = serve("mlp", SageMakerEnv.INFERENCE_OUTPUT, "nope");
    HttpResponse<String> ping = http.send(HttpRequest.newBuilder(bad.resolve("/ping")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(500);
    assertThat(ping.body()).contains("'nope'").contains("scores");
  }

  @Test
  void aFixedBatchOfOneModelAnswersSeveralRowsAndDoubleModelsTakeText() throws Exception {
    URI fixed = serve("fixed_batch");
    assertNestedClose(json(post(fixed, "text/csv", null, csv(recorded("fixed_batch", "inputs").get("x"))))
        .get("predictions"), recorded("fixed_batch", "outputs").get("y"));
    URI doubles = serve("doubles");
    assertNestedClose(json(post(doubles, "text/csv", null, csv(recorded("doubles", "inputs").get("x"))))
        .get("predictions"), recorded("doubles", "outputs").get("y"));
  }

  @Test
  void wrongShapesAndTypesAre400sNamingTheInputAndBothShapes() throws Exception {
    URI cnn = serve("cnn");
    HttpResponse<byte[]> shape = post(cnn, "application/x-npy", null,
        NpyWriter.write(new Tensor.Floats(new long[] {2, 28, 28, 1}, new float[2 * 28 * 28])));
    assertThat(shape.statusCode()).isEqualTo(400);
    assertThat(json(shape).get("detail").asText())
        .isEqualTo("input 'image' expects shape [batch,1,28,28] (float32); received [2,28,28,1]");
    HttpResponse<byte[]> ragged = post(cnn, "application/json", null, "[[[1,2],[3]]]");
    assertThat(ragged.statusCode()).isEqualTo(400);
    assertThat(json(ragged).get("detail").asText()).contains("ragged");
    HttpResponse<byte[]> notNpy = post(cnn, "application/x-npy", null, "1,2,3");
    assertThat(notNpy.statusCode()).isEqualTo(400);
    assertThat(json(notNpy).get("detail").asText()).contains("not an .npy");
    URI two = serve("two_inputs");
    HttpResponse<byte[]> fraction = post(two, "application/json", null,
        "{\"inputs\": {\"a\": [[1,2,3]], \"b\": [[1.5, 2]]}}");
    assertThat(fraction.statusCode()).isEqualTo(400);
    assertThat(json(fraction).get("detail").asText()).contains("input 'b' is int64");
    HttpResponse<byte[]> dtype = post(two, "application/json", null, "{\"inputs\": {\"a\": [[1,2,3]], \"b\": [[1]]}}");
    assertThat(json(dtype).get("detail").asText()).isEqualTo("input 'b' expects shape [batch,2] (int64); received "
        + "[1,1]");
    HttpResponse<byte[]> width = post(serve("mlp"), "text/csv", null, "1,2,3\n");
    assertThat(width.statusCode()).isEqualTo(400);
    assertThat(json(width).get("detail").asText()).contains("4");
  }

  @Test
  void unknownOutputsUnsupportedTypesAndUnproducibleAcceptsAreRefused() throws Exception {
    URI two = serve("two_inputs");
    String body = "{\"inputs\": " + recorded("two_inputs", "inputs") + "}";
    HttpResponse<byte[]> unknown = post(two, "application/json", null, body, OutputSelection.HEADER, "outputs=nope");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("detail").asText()).contains("'nope'").contains("total, doubled");
    HttpResponse<byte[]> csvIn = post(two, "text/csv", null, "1,2,3");
    assertThat(csvIn.statusCode()).isEqualTo(415);
    assertThat(json(csvIn).get("accepted").toString()).isEqualTo("[\"application/json\"]");
    HttpResponse<byte[]> csvOutOfTwo = post(two, "application/json", "text/csv", body, OutputSelection.HEADER,
        "outputs=all");
    assertThat(csvOutOfTwo.statusCode()).isEqualTo(406);
    HttpResponse<byte[]> png = post(two, "application/json", "image/png", body);
    assertThat(png.statusCode()).isEqualTo(406);
    assertThat(json(png).get("supported").toString()).contains("application/x-npy");
    HttpResponse<byte[]> empty = post(two, "application/json", null, new byte[0]);
    assertThat(empty.statusCode()).isEqualTo(204);
  }

  @Test
  void severalOnnxFilesAreRefusedNamingThemAndXGBoostFoldersStayXGBoost() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("two"));
    Files.copy(MODELS.resolve("mlp.onnx"), dir.resolve("a.onnx"));
    Files.copy(MODELS.resolve("cnn.onnx"), dir.resolve("b.onnx"));
    URI uri = serveFolder(dir);
    HttpResponse<String> ping = http.send(HttpRequest.newBuilder(uri.resolve("/ping")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(500);
    assertThat(ping.body()).contains("a.onnx, b.onnx").contains("exactly one");
  }

  @Test
  void aFolderWithoutManifestOrOnnxFileIsStillServedAsXGBoost() throws Exception {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    int code = new dev.sagebox.container.train.TrainCommand(SampleTrees.settings(base), new AlgorithmRegistry(
        List.of(new XGBoostAlgorithm("test", w -> { }))), new java.io.PrintStream(
        java.io.OutputStream.nullOutputStream()), () -> false).run();
    assertThat(code).isZero();
    Files.delete(base.resolve("model").resolve(dev.sagebox.engine.model.ModelManifest.FILE_NAME));
    URI uri = serveFolder(base.resolve("model"));
    HttpResponse<byte[]> r = post(uri, "text/csv", null, Files.readAllLines(base.resolve("request.csv")).get(0));
    assertThat(r.statusCode()).isEqualTo(200);
    double score = Double.parseDouble(new String(r.body(), StandardCharsets.UTF_8).strip());
    assertThat(score).isBetween(0.0, 1.0);
  }

  @Test
  void anExplicitDefaultAcceptIsHonouredAndThePayloadLimitApplies() throws Exception {
    URI uri = serve("mlp", SageMakerEnv.DEFAULT_INVOCATIONS_ACCEPT, "text/csv", SageMakerEnv.MAX_CONTENT_LENGTH,
        "1000");
    HttpResponse<byte[]> r = post(uri, "text/csv", null, "1,2,3,4\n");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(new String(r.body(), StandardCharsets.UTF_8).split(",")).hasSize(3);
    HttpResponse<byte[]> big = post(uri, "application/x-npy", null,
        NpyWriter.write(new Tensor.Floats(new long[] {100, 4}, new float[400])));
    assertThat(big.statusCode()).isEqualTo(413);
  }

  @Test
  void aPythonClientGetsTorchsAnswersOverNpyAndJson() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Process numpy = new ProcessBuilder(python.toString(), "-c", "import numpy").start();
    Assumptions.assumeTrue(numpy.waitFor() == 0, "no numpy for /usr/bin/python3");
    URI uri = serve("cnn");
    Path script = SampleTrees.repoRoot().resolve("container/src/test/resources/python/byo_onnx_client.py");
    Process p = new ProcessBuilder(python.toString(), script.toString(), uri.toString(),
        MODELS.resolve("cnn.json").toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out.strip()).isEqualTo("ok");
    assertThat(p.exitValue()).isZero();
  }
}
