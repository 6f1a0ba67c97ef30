package dev.sagebox.container.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The server's metrics, built with the Prometheus Java client: requests by route, model and status, their latency
 * and bytes in and out, model loads (count, outcome, seconds), the multi-model registry's size, estimated memory
 * and evictions, and the JVM's and process's memory (heap, buffer pools, resident set).
 */
public final class ServingMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("sagebox_requests_total")
      .help("HTTP requests answered, by route, model and status").labelNames("route", "model", "status")
      .register(registry);
  private final Histogram latency = Histogram.builder().name("sagebox_request_duration_seconds")
      .help("Time to answer a request, by route").labelNames("route")
      .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
      .register(registry);
  private final Counter bytesIn = Counter.builder().name("sagebox_request_bytes_total")
      .help("Request body bytes received, by route").labelNames("route").register(registry);
  private final Counter bytesOut = Counter.builder().name("sagebox_response_bytes_total")
      .help("Response body bytes sent, by route").labelNames("route").register(registry);
  private final Counter loads = Counter.builder().name("sagebox_model_loads_total")
      .help("Model loads, by outcome (ok, failed, too_large, conflict)").labelNames("outcome").register(registry);
  private final Histogram loadSeconds = Histogram.builder().name("sagebox_model_load_duration_seconds")
      .help("Time to load a model").classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120)
      .register(registry);

  public ServingMetrics() {
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Gauges and a counter read from the multi-model registry (or the single model) when scraped. */
  public void watchModels(DoubleSupplier loaded, DoubleSupplier estimatedBytes, DoubleSupplier evictions) {
    GaugeWithCallback.builder().name("sagebox_models_loaded").help("Models loaded and ready")
        .callback(cb -> cb.call(loaded.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("sagebox_model_memory_estimated_bytes")
        .help("Estimated memory held by the loaded models (heap and native)")
        .callback(cb -> cb.call(estimatedBytes.getAsDouble())).register(registry);
    CounterWithCallback.builder().name("sagebox_model_evictions_total")
        .help("Models evicted to stay within SAGEBOX_MODEL_MEMORY")
        .callback(cb -> cb.call(evictions.getAsDouble())).register(registry);
  }

  public void request(String route, String model, int status, double seconds, long in, long out) {
    requests.labelValues(route, model, Integer.toString(status)).inc();
    latency.labelValues(route).observe(seconds);
    if (in > 0) {
      bytesIn.labelValues(route).inc(in);
    }
    if (out > 0) {
      bytesOut.labelValues(route).inc(out);
    }
  }

  public void modelLoad(String outcome, double seconds) {
    loads.labelValues(outcome).inc();
    if (outcome.equals("ok")) {
      loadSeconds.observe(seconds);
    }
  }
}
