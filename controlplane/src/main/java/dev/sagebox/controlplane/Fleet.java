package dev.sagebox.controlplane;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serving processes of one endpoint: per production variant, {@code InitialInstanceCount} {@code bin/sagebox
 * serve} processes on free loopback ports, over the variant's model extracted once. Requests go to a variant by
 * weight (or the one named) and round-robin across its instances.
 */
public final class Fleet {
  /** One running instance. */
  record Instance(int port, ChildProcess process) {}

  /** One variant: its name, weight and instances. */
  record Variant(String name, double weight, List<Instance> instances, AtomicInteger next) {
    Instance pick() {
      return instances.get(Math.floorMod(next.getAndIncrement(), instances.size()));
    }
  }

  /** What a variant needs to start: where its model is and how many instances. */
  public record VariantSpec(String name, double weight, int instances, ObjectUri modelData,
      Map<String, String> environment) {}

  /** An instance's answer. */
  public record Answer(int status, byte[] body, String contentType, String customAttributes, String variant) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Variant> variants;

  private Fleet(List<Variant> variants) {
    this.variants = variants;
  }

  /**
   * Downloads and extracts each variant's model under {@code dir}, starts its instances and waits until every
   * {@code /ping} answers 200. On failure, stops what it started and throws with the reason.
   */
  public static Fleet start(Path dir, List<VariantSpec> specs, ObjectStore objects, Path launcher,
      Duration startupTimeout) throws IOException, InterruptedException {
    List<Variant> started = new ArrayList<>();
    Fleet fleet = new Fleet(started);
    try {
      for (VariantSpec spec : specs) {
        Path vdir = dir.resolve(spec.name().replaceAll("[^A-Za-z0-9-]", "_"));
        Path model = vdir.resolve("model");
        Files.createDirectories(model);
        if (spec.modelData() != null) {
          Path tar = vdir.resolve("model.tar.gz");
          objects.get(spec.modelData(), tar);
          Tarball.unpack(tar, model);
        }
        List<Instance> instances = new ArrayList<>();
        started.add(new Variant(spec.name(), spec.weight(), instances, new AtomicInteger()));
        for (int i = 0; i < spec.instances(); i++) {
          Path idir = vdir.resolve("instance-" + (i + 1));
          Files.createDirectories(idir);
          int port = freePort();
          Map<String, String> env = new HashMap<>(spec.environment());
          env.put("SAGEMAKER_BASE_DIR", idir.toString());
          env.put("SM_MODEL_DIR", model.toString());
          env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
          env.put("SAGEBOX_BIND_ADDRESS", "127.0.0.1");
          instances.add(new Instance(port, ChildProcess.start(launcher, "serve", env, idir.resolve("serve.log"))));
        }
      }
      long deadline = System.nanoTime() + startupTimeout.toNanos();
      for (Variant v : started) {
        for (Instance in : v.instances()) {
          awaitPing(v, in, deadline, startupTimeout);
        }
      }
      return fleet;
    } catch (IOException | InterruptedException | RuntimeException e) {
      fleet.stop();
      throw e;
    }
  }

  private static void awaitPing(Variant v, Instance in, long deadline, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + in.port() + "/ping"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    while (true) {
      if (!in.process().alive()) {
        throw new IOException("variant '" + v.name() + "': the serving process exited before answering /ping: "
            + lastLines(in.process().log(), 5));
      }
      try {
        if (HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("variant '" + v.name() + "': /ping did not answer 200 within " + timeout.toSeconds()
            + " s; see " + in.process().log());
      }
      Thread.sleep(200);
    }
  }

  /** Sends one request to {@code targetVariant} (or one chosen by weight). */
  public Answer invoke(byte[] body, String contentType, String accept, String customAttributes, String inferenceId,
      String targetVariant) throws IOException, InterruptedException {
    Variant v = choose(targetVariant);
    Instance in = v.pick();
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + in.port() + "/invocations"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      rb.header("Content-Type", contentType);
    }
    if (accept != null) {
      rb.header("Accept", accept);
    }
    if (customAttributes != null) {
      rb.header("X-Amzn-SageMaker-Custom-Attributes", customAttributes);
    }
    if (inferenceId != null) {
      rb.header("X-Amzn-SageMaker-Inference-Id", inferenceId);
    }
    HttpResponse<byte[]> r = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null),
        r.headers().firstValue("X-Amzn-SageMaker-Custom-Attributes").orElse(null), v.name());
  }

  private Variant choose(String target) {
    if (target != null) {
      return variants.stream().filter(v -> v.name().equals(target)).findFirst().orElseThrow(() ->
          new ApiException("ValidationError", 400, "TargetVariant '" + target + "' is not a variant of this "
              + "endpoint; its variants: " + variants.stream().map(Variant::name).toList()));
    }
    double total = variants.stream().mapToDouble(Variant::weight).sum();
    if (total <= 0) {
      return variants.get(ThreadLocalRandom.current().nextInt(variants.size()));
    }
    double r = ThreadLocalRandom.current().nextDouble(total);
    for (Variant v : variants) {
      r -= v.weight();
      if (r < 0) {
        return v;
      }
    }
    return variants.get(variants.size() - 1);
  }

  /** The first instance's {@code GET /execution-parameters} (the container's batch defaults), or empty. */
  public java.util.Optional<com.fasterxml.jackson.databind.JsonNode> executionParameters() {
    Instance in = variants.get(0).instances().get(0);
    try {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + in.port()
          + "/execution-parameters")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200 ? java.util.Optional.of(Json.MAPPER.readTree(r.body()))
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** Instances per variant, as started. */
  public Map<String, Integer> instanceCounts() {
    Map<String, Integer> out = new HashMap<>();
    variants.forEach(v -> out.put(v.name(), v.instances().size()));
    return out;
  }

  /** Stops every process (SIGTERM, SIGKILL after 30 s), in parallel. */
  public void stop() {
    for (Variant v : variants) {
      for (Instance in : v.instances()) {
        in.process().stopInBackground(30);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String lastLines(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
