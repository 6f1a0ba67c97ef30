package dev.sagebox.container.metrics;

import dev.sagebox.engine.error.PlatformError;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on its own port, so the SageMaker port answers only
 * SageMaker's routes.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  public static MetricsEndpoint start(ServingMetrics metrics, String bindAddress, int port) {
    try {
      return new MetricsEndpoint(HTTPServer.builder().hostname(bindAddress).port(port)
          .registry(metrics.registry()).buildAndStart());
    } catch (IOException e) {
      throw new PlatformError("cannot open the metrics port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The metrics port from the environment, or empty when metrics are off (the default). */
  public static java.util.OptionalInt portFromEnv(java.util.Map<String, String> env) {
    String raw = env.get(dev.sagebox.container.SageMakerEnv.METRICS_PORT);
    if (raw == null || raw.isBlank()) {
      return java.util.OptionalInt.empty();
    }
    try {
      int port = Integer.parseInt(raw.strip());
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return java.util.OptionalInt.of(port);
    } catch (NumberFormatException e) {
      throw new dev.sagebox.engine.error.UserError(dev.sagebox.container.SageMakerEnv.METRICS_PORT + "='" + raw
          + "' is invalid; expected a port number 0-65535 (unset: no metrics)");
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
