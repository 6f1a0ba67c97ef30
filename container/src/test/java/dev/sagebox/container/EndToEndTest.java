package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.container.serve.InferenceServer;
import dev.sagebox.container.serve.ModelLoader;
import dev.sagebox.container.serve.ModelSlot;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on {@code opt-ml-sample/xgboost}, serves the result over HTTP, scores the validation channel, and checks
 * that stock XGBoost (Debian's python3-xgboost) loads the saved file and predicts the same values.
 */
class EndToEndTest {
  @TempDir
  Path tmp;

  @Test
  void trainServeAndPredictTheSampleWithGoodQuality() throws Exception {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    ContainerSettings settings = trained(base);

    List<String> validation = Files.readAllLines(base.resolve("input/data/validation/breast_cancer.csv"));
    List<Integer> labels = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (String line : validation) {
      int comma = line.indexOf(',');
      labels.add((int) Double.parseDouble(line.substring(0, comma)));
      body.append(line.substring(comma + 1)).append('\n');
    }

    List<Double> scores;
    try (InferenceServer server = serving(settings)) {
      URI uri = URI.create("http://127.0.0.1:" + server.start() + "/invocations");
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
          .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      scores = r.body().lines().map(Double::parseDouble).toList();
    }
    assertThat(scores).hasSize(labels.size());
    int correct = 0;
    for (int i = 0; i < scores.size(); i++) {
      correct += (scores.get(i) > 0.5 ? 1 : 0) == labels.get(i) ? 1 : 0;
    }
    double accuracy = correct / (double) scores.size();
    double auc = auc(scores, labels);
    // Reference on this split (CONTRACT data README): Python xgboost AUC 0.991, error 0.053.
    assertThat(accuracy).isGreaterThanOrEqualTo(0.93);
    assertThat(auc).isGreaterThanOrEqualTo(0.98);

    assertStockXGBoostAgrees(base.resolve("model/xgboost-model"), body.toString(), scores);
  }

  /** The classic notebook's flow: linear learner, JSON instances in, score and predicted_label out. */
  @Test
  void linearLearnerServesTheNotebookJsonShapes() throws Exception {
    Path base = SampleTrees.copy("linear-learner", tmp.resolve("ll"));
    ContainerSettings settings = trained(base);
    try (InferenceServer server = serving(settings)) {
      URI uri = URI.create("http://127.0.0.1:" + server.start() + "/invocations");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Files.readString(base.resolve("request.json")))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(json.statusCode()).isEqualTo(200);
      // The five rows' true labels are 0 1 0 1 0.
      String num = "[0-9.]+(E-\\d+)?";
      assertThat(json.body()).matches("\\{\"predictions\":\\[\\{\"score\":" + num + ",\"predicted_label\":0},"
          + "\\{\"score\":" + num + ",\"predicted_label\":1},\\{\"score\":" + num + ",\"predicted_label\":0},"
          + "\\{\"score\":" + num + ",\"predicted_label\":[01]},\\{\"score\":" + num + ",\"predicted_label\":0}]}");
      String row = Files.readAllLines(base.resolve("input/data/validation/breast_cancer.csv")).get(1);
      String features = row.substring(row.indexOf(',') + 1);
      HttpResponse<String> csv = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofString(features)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(csv.body()).matches("0\\.\\d+,1\n");
      HttpResponse<String> lines = http.send(HttpRequest.newBuilder(uri).header("Content-Type",
          "application/jsonlines").header("Accept", "application/jsonlines")
          .POST(HttpRequest.BodyPublishers.ofString("{\"features\": [" + features + "]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(lines.body()).matches("\\{\"score\":0\\.\\d+,\"predicted_label\":1}\n");
    }
  }

  /** LeNet: train the MNIST sample, then a PNG, a nested JSON instance and a CSV row over HTTP. */
  @Test
  void lenetServesPngJsonAndCsv() throws Exception {
    Path base = SampleTrees.copy("lenet", tmp.resolve("lenet"));
    Files.writeString(base.resolve("input/config/hyperparameters.json"), "{\"algorithm\": \"lenet\", \"epochs\": \"2\"}");
    ContainerSettings settings = trained(base);
    try (InferenceServer server = serving(settings)) {
      URI uri = URI.create("http://127.0.0.1:" + server.start() + "/invocations");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> png = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "image/png")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(base.resolve("request.png")))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.body()).startsWith("{\"predictions\":[{\"predicted_label\":7,\"probabilities\":[");
      HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .header("Accept", "application/jsonlines")
          .POST(HttpRequest.BodyPublishers.ofString(Files.readString(base.resolve("request.json")))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(json.body()).startsWith("{\"predicted_label\":7,");
      String csvRow = Files.readString(base.resolve("request.json")).replaceAll("[^0-9,]", "").replaceAll(",+", ",")
          .replaceAll("^,|,$", "");
      HttpResponse<String> csv = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofString(csvRow)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(csv.body()).startsWith("7,");
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofString("1,2,3")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(wrong.body()).contains("the model expects 784");
    }
  }

  /** Every algorithm of this build, as Main wires them. */
  private final AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
      new dev.sagebox.engine.linear.LinearLearnerAlgorithm("test"), new dev.sagebox.engine.lenet.LeNetAlgorithm("test")));

  /** Trains the tree at {@code base} with the train command and returns its settings. */
  private ContainerSettings trained(Path base) {
    ContainerSettings settings = SampleTrees.settings(base);
    assertThat(new TrainCommand(settings, registry, new PrintStream(OutputStream.nullOutputStream()), () -> false)
        .run()).isZero();
    return settings;
  }

  /** A server (not started yet) with the trained model already loaded. */
  private InferenceServer serving(ContainerSettings settings) {
    ModelSlot slot = new ModelSlot();
    slot.load(() -> new ModelLoader(registry).load(settings.modelDir(), PredictorOptions.defaults()));
    return new InferenceServer(settings, Codecs.standard(), slot);
  }

  private void assertStockXGBoostAgrees(Path model, String csvRows, List<Double> ours) throws Exception {
    boolean required = "1".equals(System.getenv("SAGEBOX_REQUIRE_PYTHON_XGBOOST"));
    boolean available = runs("/usr/bin/python3", "-c", "import xgboost, numpy");
    if (required) {
      assertThat(available).as("python3-xgboost must be installed (SAGEBOX_REQUIRE_PYTHON_XGBOOST=1)").isTrue();
    }
    assumeTrue(available, "python3-xgboost is not installed: stock XGBoost check skipped");
    Path rows = Files.writeString(tmp.resolve("rows.csv"), csvRows);
    Path out = tmp.resolve("python.txt");
    String script = "import sys, numpy as np, xgboost as xgb\n"
        + "b = xgb.Booster(model_file=sys.argv[1])\n"
        + "x = np.loadtxt(sys.argv[2], delimiter=',', ndmin=2)\n"
        + "p = b.predict(xgb.DMatrix(x, missing=np.nan))\n"
        + "open(sys.argv[3], 'w').write('\\n'.join(repr(float(v)) for v in p) + '\\n')\n"
        + "print(xgb.__version__)\n";
    assertThat(runs("/usr/bin/python3", "-c", script, model.toString(), rows.toString(), out.toString()))
        .as("stock XGBoost loads the model and predicts").isTrue();
    List<Double> theirs = Files.readAllLines(out).stream().map(Double::parseDouble).toList();
    assertThat(theirs).hasSize(ours.size());
    for (int i = 0; i < ours.size(); i++) {
      assertThat(theirs.get(i)).as("row %d", i + 1).isCloseTo(ours.get(i), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  private static boolean runs(String... command) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(command[0]))) {
      return false;
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    if (p.exitValue() != 0 && command.length > 3) {
      System.err.println(output);
    }
    return p.exitValue() == 0;
  }

  /** Area under the ROC curve by the rank-sum formula (ties averaged). */
  static double auc(List<Double> scores, List<Integer> labels) {
    int n = scores.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores.get(a), scores.get(b)));
    double[] ranks = new double[n];
    for (int i = 0; i < n;) {
      int j = i;
      while (j + 1 < n && scores.get(order[j + 1]).equals(scores.get(order[i]))) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = rank;
      }
      i = j + 1;
    }
    long positives = labels.stream().filter(l -> l == 1).count();
    long negatives = n - positives;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (labels.get(i) == 1) {
        sum += ranks[i];
      }
    }
    return (sum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
  }
}
