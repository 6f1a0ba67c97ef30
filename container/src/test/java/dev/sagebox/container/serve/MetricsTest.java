package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.metrics.MetricsEndpoint;
import dev.sagebox.container.metrics.ServingMetrics;
import dev.sagebox.container.mme.ModelMemory;
import dev.sagebox.container.mme.ModelRegistry;
import dev.sagebox.container.mme.ModelsRoot;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics on their own port: requests by route, model and status, bytes, loads, evictions, memory. */
class MetricsTest {
  private static final Path XGB = SampleTrees.repoRoot().resolve(
      "engine/src/test/resources/xgboost-models/binary_logistic.json");

  @TempDir
  Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(URI uri, String method, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMultiModelServerExposesRequestsLoadsEvictionsAndMemory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("models"));
    for (int i = 0; i < 3; i++) {
      Files.copy(XGB, Files.createDirectories(root.resolve("m" + i + "/model")).resolve("xgboost-model.json"));
    }
    ContainerSettings settings = SampleTrees.settings(tmp, SageMakerEnv.MULTI_MODEL, "true");
    AlgorithmRegistry algorithms = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    long perModel = ModelMemory.estimate(root.resolve("m0/model"));
    ModelRegistry<ServedModel> models = new ModelRegistry<>(new ModelsRoot(root),
        folder -> new ModelLoader(algorithms).loadServed(folder, new PredictorOptions(List.of(), 1), 1_000_000),
        ModelMemory::estimate, perModel * 2);
    ServingMetrics metrics = new ServingMetrics();
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), new ModelSlot(), models, metrics);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(metrics, "127.0.0.1", 0)) {
      URI base = URI.create("http://127.0.0.1:" + server.start());
      for (int i = 0; i < 3; i++) {
        send(base.resolve("/models"), "POST", "application/json", "{\"model_name\": \"m" + i
            + "\", \"url\": \"m" + i + "/model\"}");
      }
      send(base.resolve("/models"), "POST", "application/json", "{\"model_name\": \"m2\", \"url\": \"m2/model\"}");
      assertThat(send(base.resolve("/models/m2/invoke"), "POST", "text/csv", "1,2,3,4,5\n").statusCode())
          .isEqualTo(200);
      send(base.resolve("/models/m0/invoke"), "POST", "text/csv", "1,2,3,4,5\n");
      String text = send(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"), "GET", null, null).body();
      assertThat(text).contains("sagebox_requests_total{model=\"m2\",route=\"/models/{name}/invoke\",status=\"200\"} 1");
      assertThat(text).contains("sagebox_requests_total{model=\"m0\",route=\"/models/{name}/invoke\",status=\"404\"} 1");
      assertThat(text).contains("sagebox_model_loads_total{outcome=\"ok\"} 3");
      assertThat(text).contains("sagebox_model_loads_total{outcome=\"conflict\"} 1");
      assertThat(text).contains("sagebox_model_evictions_total 1");
      assertThat(text).contains("sagebox_models_loaded 2");
      assertThat(text).containsPattern("sagebox_request_bytes_total\\{route=\"/models/\\{name\\}/invoke\"\\} 20");
      assertThat(text).containsPattern("sagebox_response_bytes_total\\{route=\"/models/\\{name\\}/invoke\"\\} [1-9]");
      assertThat(text).contains("sagebox_request_duration_seconds_bucket");
      assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"}");
      assertThat(text).contains("process_resident_memory_bytes");
    } finally {
      server.close();
    }
  }

  @Test
  void theMetricsPortIsOffUnlessSetAndCheckedWhenSet() {
    assertThat(MetricsEndpoint.portFromEnv(Map.of())).isEmpty();
    assertThat(MetricsEndpoint.portFromEnv(Map.of(SageMakerEnv.METRICS_PORT, "9100")).getAsInt()).isEqualTo(9100);
    Assertions.assertThatThrownBy(() -> MetricsEndpoint.portFromEnv(Map.of(SageMakerEnv.METRICS_PORT, "http")))
        .isInstanceOf(UserError.class).hasMessageContaining("SAGEBOX_METRICS_PORT");
  }
}
