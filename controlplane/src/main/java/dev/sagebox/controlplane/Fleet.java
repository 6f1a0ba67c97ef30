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

  /**
   * One variant: its name, weight and instances (a slot's instance is swapped when it is replaced), and how to start
   * one more: its spec and folder.
   */
  record Variant(String name, double weight, List<Instance> instances, AtomicInteger next, VariantSpec spec,
      Path dir, java.util.Set<Integer> replacing) {
    int pick() {
      return Math.floorMod(next.getAndIncrement(), instances.size());
    }
  }

  /** What a variant needs to start: where its model is and how many instances. */
  public record VariantSpec(String name, double weight, int instances, ObjectUri modelData,
      Map<String, String> environment) {}

  /** An instance's answer. */
  public record Answer(int status, byte[] body, String contentType, String customAttributes, String variant) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("sagebox.api.hosting");
  private static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(60);
  private final List<Variant> variants;
  private final Path launcher;
  private final Duration startupTimeout;
  private volatile boolean stopped;

  private Fleet(List<Variant> variants, Path launcher, Duration startupTimeout) {
    this.variants = variants;
    this.launcher = launcher;
    this.startupTimeout = startupTimeout;
  }

  /**
   * Downloads and extracts each variant's model under {@code dir}, starts its instances and waits until every
   * {@code /ping} answers 200. On failure, stops what it started and throws with the reason.
   */
  public static Fleet start(Path dir, List<VariantSpec> specs, ObjectStore objects, Path launcher,
      Duration startupTimeout) throws IOException, InterruptedException {
    List<Variant> started = new ArrayList<>();
    Fleet fleet = new Fleet(started, launcher, startupTimeout);
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
        List<Instance> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        Variant variant = new Variant(spec.name(), spec.weight(), instances, new AtomicInteger(), spec, vdir,
            java.util.concurrent.ConcurrentHashMap.newKeySet());
        started.add(variant);
        for (int i = 0; i < spec.instances(); i++) {
          instances.add(fleet.startInstance(variant, i));
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

  /** Starts the serving process of slot {@code slot} of {@code v} on a free port (not waiting for /ping). */
  private Instance startInstance(Variant v, int slot) throws IOException {
    Path idir = v.dir().resolve("instance-" + (slot + 1));
    Files.createDirectories(idir);
    int port = freePort();
    Map<String, String> env = new HashMap<>(v.spec().environment());
    env.put("SAGEMAKER_BASE_DIR", idir.toString());
    env.put("SM_MODEL_DIR", v.dir().resolve("model").toString());
    env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    env.put("SAGEBOX_BIND_ADDRESS", "127.0.0.1");
    return new Instance(port, ChildProcess.start(launcher, "serve", env, idir.resolve("serve.log")));
  }

  /**
   * Replaces the exited instance of slot {@code slot}, in the background, as SageMaker replaces an unhealthy
   * instance: a new process on a new port takes the slot once its /ping answers; until then requests to the slot
   * get 503. One replacement per slot at a time.
   */
  private void replace(Variant v, int slot, Instance dead) {
    if (stopped || !v.replacing().add(slot)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        Instance fresh = startInstance(v, slot);
        awaitPing(v, fresh, System.nanoTime() + startupTimeout.toNanos(), startupTimeout);
        v.instances().set(slot, fresh);
        LOG.warn("variant '{}': instance {} (port {}) had exited; replaced by a new one on port {}", v.name(),
            slot + 1, dead.port(), fresh.port());
        if (stopped) {
          fresh.process().stopInBackground(30);
        }
      } catch (IOException e) {
        LOG.warn("variant '{}': replacing instance {} failed: {}", v.name(), slot + 1, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        v.replacing().remove(slot);
      }
    }, "replace-" + v.name() + "-" + (slot + 1));
    t.setDaemon(true);
    t.start();
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
    int slot = v.pick();
    Instance in = v.instances().get(slot);
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + in.port() + "/invocations"))
        .timeout(INVOKE_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(body));
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
    HttpResponse<byte[]> r;
    try {
      r = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new ApiException("ModelError", 424, "Your invocation timed out while waiting for a response from "
          + "container primary (variant '" + v.name() + "', " + INVOKE_TIMEOUT.toSeconds() + " s)");
    } catch (IOException e) {
      if (!in.process().alive()) {
        replace(v, slot, in);
        throw new ApiException("ServiceUnavailable", 503, "the instance of variant '" + v.name() + "' that took "
            + "this request had exited (" + lastLines(in.process().log(), 2) + "); a new one is starting: retry "
            + "shortly");
      }
      throw new ApiException("ServiceUnavailable", 503, "the instance of variant '" + v.name() + "' did not "
          + "answer (" + (e.getMessage() == null ? "connection closed" : e.getMessage()) + "); retry shortly");
    }
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
    stopped = true;
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
