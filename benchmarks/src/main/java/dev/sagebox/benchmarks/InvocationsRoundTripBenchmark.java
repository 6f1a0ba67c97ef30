package dev.sagebox.benchmarks;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.serve.InferenceServer;
import dev.sagebox.container.serve.ModelLoader;
import dev.sagebox.container.serve.ModelSlot;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One real {@code POST /invocations} over loopback: the container's {@link InferenceServer} (Javalin, access log
 * off) serving an XGBoost model (100 rounds, depth 5, trained once per trial on 5,000 HIGGS-like rows), called with
 * one CSV row of 28 features ({@code Content-Type: text/csv}, {@code Accept: text/csv}) by one reused JDK
 * {@link HttpClient} speaking HTTP/1.1 (a kept-alive connection), one request at a time. It covers the HTTP
 * stack, request decoding, prediction and response encoding.
 *
 * <p>How to read the result: {@code InvocationsRoundTripBenchmark.invoke} is requests per second (unit
 * {@code ops/s}) for a single caller; <b>µs per request</b> = 1,000,000 / score — the latency a client on the same
 * host sees, without network.
 *
 * <p>Jetty and the JDK client take long to reach steady state (on a 2-core machine the rate was still climbing
 * after 20 s), hence 10 warm-up iterations here; short runs ({@code -wi 1 -w 1s}) overstate the latency
 * several-fold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class InvocationsRoundTripBenchmark {
  private Path work;
  private InferenceServer server;
  private ModelSlot slot;
  private HttpClient http;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    work = Models.tempDir("sagebox-bench-serve");
    Path base = work.resolve("ml");
    Path modelDir = base.resolve("model");
    XGBoostAlgorithm xgboost = new XGBoostAlgorithm("bench", w -> { });
    Models.train(xgboost, Models.XGBOOST, Models.tabularTrainingFile(work.resolve("train")), modelDir);

    ContainerSettings settings = ContainerSettings.fromEnv(Map.of(
        "SAGEMAKER_BASE_DIR", base.toString(),
        "SM_MODEL_DIR", modelDir.toString(),
        "SAGEMAKER_BIND_TO_PORT", "0",
        "SAGEBOX_BIND_ADDRESS", "127.0.0.1",
        "SAGEBOX_ACCESS_LOG", "false"));
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(xgboost));
    slot = new ModelSlot();
    slot.load(() -> new ModelLoader(registry).load(modelDir, PredictorOptions.defaults()));
    server = new InferenceServer(settings, Codecs.standard(), slot);
    int port = server.start();

    SyntheticData.Table t = SyntheticData.binary(1, SyntheticData.SEED + 5, 1.0);
    byte[] row = SyntheticData.csv(t, 1, false);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
        .header("Content-Type", "text/csv")
        .header("Accept", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofByteArray(row))
        .build();
    String answer = invoke();
    Double.parseDouble(answer.strip());
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (server != null) {
      server.close(); // also closes the slot and its model
    } else if (slot != null) {
      slot.close();
    }
    Models.deleteTree(work);
  }

  @Benchmark
  public String invoke() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("POST /invocations answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
