package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models, endpoint configs and endpoints, and the runtime's InvokeEndpoint. An endpoint is a {@link Fleet} of
 * serving processes; UpdateEndpoint starts the new fleet beside the old one and switches only once it is healthy
 * (blue/green), so calls during an update keep being answered.
 */
public final class Hosting {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.api.hosting");
  private final ResourceStore models;
  private final ResourceStore configs;
  private final ResourceStore endpoints;
  private final Path workDir;
  private final ObjectStore objects;
  private final Path launcher;
  private final Arns arns;
  private final ExecutorService runner;
  private final Duration startupTimeout;
  private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();
  /**
   * Kept in an endpoint's stored document (never shown by Describe): the config and models it was deployed with, so
   * that after an API restart it serves again as it did, as SageMaker does when they were deleted meanwhile.
   */
  static final String DEPLOYED = "SageboxDeployed";
  /** SageMaker's limit on production variants per endpoint config. */
  static final int MAX_VARIANTS = 10;
  /** The newest deployment of each endpoint (create, update, or restart after an API restart). */
  private final Map<String, Long> deployments = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong deploymentIds = new java.util.concurrent.atomic.AtomicLong();
  /** How long a replaced fleet keeps running after the switch, for the requests it is answering. */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  public Hosting(ResourceStore models, ResourceStore configs, ResourceStore endpoints, Path workDir,
      ObjectStore objects, Path launcher, Arns arns, ExecutorService runner, Duration startupTimeout) {
    this.models = models;
    this.configs = configs;
    this.endpoints = endpoints;
    this.workDir = workDir;
    this.objects = objects;
    this.launcher = launcher;
    this.arns = arns;
    this.runner = runner;
    this.startupTimeout = startupTimeout;
  }

  // ---- models

  public ObjectNode createModel(JsonNode req) {
    ResourceName name = ResourceName.of(req, "ModelName");
    JsonNode container = req.has("PrimaryContainer") ? req.get("PrimaryContainer") : req.path("Containers").path(0);
    if (!container.isObject()) {
      throw ApiException.validation("PrimaryContainer (or Containers with one element) is required");
    }
    if (req.has("PrimaryContainer") && req.has("Containers")) {
      throw ApiException.validation("give either PrimaryContainer or Containers, not both");
    }
    if (req.path("Containers").size() > 1) {
      throw ApiException.validation("Containers with " + req.path("Containers").size() + " elements (an inference "
          + "pipeline) is not supported here; give one container");
    }
    ImageCatalog.require(container.path("Image").asText(""), "PrimaryContainer.Image");
    if (container.has("ModelDataUrl")) {
      ObjectUri.parse(container.get("ModelDataUrl").asText(), "PrimaryContainer.ModelDataUrl");
    } else {
      throw ApiException.validation("PrimaryContainer.ModelDataUrl is required here (the model.tar.gz a training "
          + "job wrote)");
    }
    ObjectNode doc = (ObjectNode) req.deepCopy();
    doc.remove("Tags");
    doc.put("ModelArn", arns.of("model", name));
    doc.put("CreationTime", Json.now());
    if (!models.create(name, doc)) {
      throw ApiException.validation("Cannot create already existing model \"" + doc.path("ModelArn").asText() + "\".");
    }
    ObjectNode out = Json.object();
    out.put("ModelArn", doc.path("ModelArn").asText());
    return out;
  }

  public ObjectNode describeModel(JsonNode req) {
    ResourceName name = ResourceName.of(req, "ModelName");
    return models.get(name).orElseThrow(() -> ApiException.validation("Could not find model \"" + name + "\"."));
  }

  public ObjectNode listModels(JsonNode req) {
    return Listing.page(req, models.all(), "ModelName", null,
        d -> Listing.pick(d, "ModelName", "ModelArn", "CreationTime"), "Models");
  }

  public ObjectNode deleteModel(JsonNode req) {
    ResourceName name = ResourceName.of(req, "ModelName");
    if (!models.delete(name)) {
      throw ApiException.validation("Could not find model \"" + name + "\".");
    }
    return Json.object();
  }

  // ---- endpoint configs

  public ObjectNode createEndpointConfig(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointConfigName");
    JsonNode variants = Json.requiredArray(req, "ProductionVariants", "");
    if (variants.size() > MAX_VARIANTS) {
      throw ApiException.validation("1 validation error detected: Value at 'productionVariants' failed to satisfy "
          + "constraint: Member must have length less than or equal to " + MAX_VARIANTS);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode v : variants) {
      String vname = Json.requiredText(v, "VariantName", "ProductionVariants.member.");
      new ResourceName(vname);
      if (!seen.add(vname)) {
        throw ApiException.validation("ProductionVariants: the variant name '" + vname + "' appears twice");
      }
      ResourceName model = new ResourceName(Json.requiredText(v, "ModelName", "ProductionVariants.member."));
      if (models.get(model).isEmpty()) {
        throw ApiException.validation("Could not find model \"" + arns.of("model", model) + "\".");
      }
      if (v.has("ServerlessConfig")) {
        continue;
      }
      Json.intIn(v, "InitialInstanceCount", 1, 1, 16);
      if (v.has("InitialVariantWeight") && v.get("InitialVariantWeight").asDouble(-1) < 0) {
        throw ApiException.validation("InitialVariantWeight must be 0 or more");
      }
    }
    ObjectNode doc = (ObjectNode) req.deepCopy();
    doc.remove("Tags");
    doc.put("EndpointConfigArn", arns.of("endpoint-config", name));
    doc.put("CreationTime", Json.now());
    if (!configs.create(name, doc)) {
      throw ApiException.validation("Cannot create already existing endpoint configuration \""
          + doc.path("EndpointConfigArn").asText() + "\".");
    }
    ObjectNode out = Json.object();
    out.put("EndpointConfigArn", doc.path("EndpointConfigArn").asText());
    return out;
  }

  public ObjectNode describeEndpointConfig(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointConfigName");
    return configs.get(name).orElseThrow(() -> ApiException.validation("Could not find endpoint configuration \""
        + name + "\"."));
  }

  public ObjectNode listEndpointConfigs(JsonNode req) {
    return Listing.page(req, configs.all(), "EndpointConfigName", null,
        d -> Listing.pick(d, "EndpointConfigName", "EndpointConfigArn", "CreationTime"), "EndpointConfigs");
  }

  public ObjectNode deleteEndpointConfig(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointConfigName");
    if (!configs.delete(name)) {
      throw ApiException.validation("Could not find endpoint configuration \"" + name + "\".");
    }
    return Json.object();
  }

  // ---- endpoints

  /** After a restart: endpoints that were serving (or starting) are started again. */
  public void recover() {
    for (ObjectNode doc : endpoints.all()) {
      String status = doc.path("EndpointStatus").asText();
      if (status.equals("InService") || status.equals("Creating") || status.equals("Updating")) {
        ResourceName name = new ResourceName(doc.path("EndpointName").asText());
        endpoints.update(name, d -> d.put("EndpointStatus", "Creating"));
        ResourceName config = new ResourceName(doc.path("EndpointConfigName").asText());
        long id = newDeployment(name);
        // What was serving is started again as it was deployed, even if its config or models were deleted since
        // (SageMaker keeps an endpoint running on them); an interrupted create or update starts over.
        ObjectNode deployed = status.equals("InService") && doc.path(DEPLOYED).isObject()
            ? (ObjectNode) doc.get(DEPLOYED) : null;
        runner.submit(() -> deploy(name, config, false, id, deployed));
      }
    }
  }

  public ObjectNode createEndpoint(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointName");
    ResourceName config = ResourceName.of(req, "EndpointConfigName");
    ObjectNode cfg = configs.get(config).orElseThrow(() -> ApiException.validation("Could not find endpoint "
        + "configuration \"" + arns.of("endpoint-config", config) + "\"."));
    ObjectNode doc = Json.object();
    doc.put("EndpointName", name.value());
    doc.put("EndpointArn", arns.of("endpoint", name));
    doc.put("EndpointConfigName", config.value());
    doc.set("ProductionVariants", variantSummaries(cfg, null));
    doc.put("EndpointStatus", "Creating");
    double now = Json.now();
    doc.put("CreationTime", now);
    doc.put("LastModifiedTime", now);
    // SageMaker: endpoint names are unique regardless of case (their ARNs are lower case), though InvokeEndpoint
    // matches the case given at creation.
    boolean taken;
    synchronized (this) {
      taken = endpoints.all().stream().anyMatch(d -> d.path("EndpointName").asText().equalsIgnoreCase(name.value()))
          || !endpoints.create(name, doc);
    }
    if (taken) {
      throw ApiException.validation("Cannot create already existing endpoint \"" + doc.path("EndpointArn").asText()
          + "\".");
    }
    long id = newDeployment(name);
    runner.submit(() -> deploy(name, config, false, id, null));
    ObjectNode out = Json.object();
    out.put("EndpointArn", doc.path("EndpointArn").asText());
    return out;
  }

  public ObjectNode describeEndpoint(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointName");
    ObjectNode doc = endpoints.get(name).orElseThrow(() -> ApiException.validation("Could not find endpoint \""
        + name + "\"."));
    doc.remove(DEPLOYED);
    return doc;
  }

  public ObjectNode listEndpoints(JsonNode req) {
    return Listing.page(req, endpoints.all(), "EndpointName", "EndpointStatus",
        d -> Listing.pick(d, "EndpointName", "EndpointArn", "CreationTime", "LastModifiedTime", "EndpointStatus"),
        "Endpoints");
  }

  public ObjectNode updateEndpoint(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointName");
    ResourceName config = ResourceName.of(req, "EndpointConfigName");
    ObjectNode doc = describeEndpoint(req);
    if (configs.get(config).isEmpty()) {
      throw ApiException.validation("Could not find endpoint configuration \"" + arns.of("endpoint-config", config)
          + "\".");
    }
    if (!doc.path("EndpointStatus").asText().equals("InService")) {
      throw ApiException.validation("Cannot update in-progress endpoint \"" + doc.path("EndpointArn").asText()
          + "\": it is " + doc.path("EndpointStatus").asText() + "; wait until it is InService");
    }
    endpoints.update(name, d -> d.put("EndpointStatus", "Updating"));
    long id = newDeployment(name);
    runner.submit(() -> deploy(name, config, true, id, null));
    ObjectNode out = Json.object();
    out.put("EndpointArn", doc.path("EndpointArn").asText());
    return out;
  }

  public ObjectNode deleteEndpoint(JsonNode req) {
    ResourceName name = ResourceName.of(req, "EndpointName");
    describeEndpoint(req);
    Fleet f;
    synchronized (this) {
      endpoints.delete(name);
      deployments.remove(name.value());
      f = fleets.remove(name.value());
    }
    if (f != null) {
      f.stop();
    }
    return Json.object();
  }

  /** A new deployment of {@code name}: only the newest one may change the endpoint when it ends. */
  private long newDeployment(ResourceName name) {
    long id = deploymentIds.incrementAndGet();
    deployments.put(name.value(), id);
    return id;
  }

  private boolean current(ResourceName name, long id) {
    return Long.valueOf(id).equals(deployments.get(name.value()));
  }

  /**
   * Starts a fleet for {@code config}; on success it replaces the endpoint's current one, which is then stopped. A
   * deployment that is no longer the endpoint's newest (the endpoint was deleted, or deleted and created again,
   * while it started) changes nothing and stops what it started.
   */
  private void deploy(ResourceName name, ResourceName config, boolean update, long id, ObjectNode deployed) {
    try {
      ObjectNode cfg = deployed != null ? (ObjectNode) deployed.get("Config") : configs.get(config)
          .orElseThrow(() -> new IOException("endpoint configuration '" + config + "' was deleted"));
      ObjectNode usedModels = Json.object();
      List<Fleet.VariantSpec> specs = new ArrayList<>();
      for (JsonNode v : cfg.path("ProductionVariants")) {
        ResourceName model = new ResourceName(v.path("ModelName").asText());
        ObjectNode modelDoc = deployed != null && deployed.path("Models").path(model.value()).isObject()
            ? (ObjectNode) deployed.path("Models").get(model.value()) : models.get(model).orElseThrow(() ->
            new IOException("model '" + model + "' does not exist (or was deleted)"));
        usedModels.set(model.value(), modelDoc);
        specs.add(variantSpec(v.path("VariantName").asText(), modelDoc, v.path("InitialInstanceCount").asInt(1),
            v.path("InitialVariantWeight").asDouble(1.0), Map.of()));
      }
      ObjectNode snapshot = Json.object();
      snapshot.set("Config", cfg);
      snapshot.set("Models", usedModels);
      Path dir = workDir.resolve(name.value()).resolve(config.value() + "-" + System.currentTimeMillis());
      Fleet fleet = Fleet.start(dir, specs, objects, launcher, startupTimeout);
      Fleet old;
      synchronized (this) {
        if (!current(name, id) || endpoints.get(name).isEmpty()) {
          fleet.stop();
          return;
        }
        old = fleets.put(name.value(), fleet);
        endpoints.update(name, d -> {
          d.put("EndpointStatus", "InService");
          d.put("EndpointConfigName", config.value());
          d.set("ProductionVariants", variantSummaries(cfg, fleet.instanceCounts()));
          d.remove("FailureReason");
          d.set(DEPLOYED, snapshot);
        });
      }
      if (old != null) {
        // Requests already sent to the old fleet finish before it is stopped.
        Thread.sleep(DRAIN.toMillis());
        old.stop();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("endpoint {}: deploying {} failed: {}", name, config, e.getMessage());
      String reason = e.getMessage();
      synchronized (this) {
        if (!current(name, id)) {
          return;
        }
        endpoints.update(name, d -> {
          // A failed update leaves the old fleet serving, as SageMaker rolls back.
          d.put("EndpointStatus", update && fleets.containsKey(name.value()) ? "InService" : "Failed");
          d.put("FailureReason", reason);
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How to start {@code instances} serving processes of {@code model}, with {@code extraEnv} over its own. */
  Fleet.VariantSpec variantSpec(String variant, ResourceName model, int instances, double weight,
      Map<String, String> extraEnv) throws IOException {
    ObjectNode doc = models.get(model).orElseThrow(() -> new IOException("model '" + model + "' does not exist (or "
        + "was deleted)"));
    return variantSpec(variant, doc, instances, weight, extraEnv);
  }

  private static Fleet.VariantSpec variantSpec(String variant, ObjectNode doc, int instances, double weight,
      Map<String, String> extraEnv) {
    JsonNode container = doc.has("PrimaryContainer") ? doc.get("PrimaryContainer") : doc.path("Containers").path(0);
    Map<String, String> env = new HashMap<>();
    container.path("Environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    env.putAll(extraEnv);
    return new Fleet.VariantSpec(variant, weight, instances,
        ObjectUri.parse(container.path("ModelDataUrl").asText(), "ModelDataUrl"), env);
  }

  /** Whether a model exists. */
  boolean modelExists(ResourceName model) {
    return models.get(model).isPresent();
  }

  private static ArrayNode variantSummaries(ObjectNode cfg, Map<String, Integer> running) {
    ArrayNode out = Json.array();
    for (JsonNode v : cfg.path("ProductionVariants")) {
      ObjectNode s = out.addObject();
      String vname = v.path("VariantName").asText();
      s.put("VariantName", vname);
      double w = v.path("InitialVariantWeight").asDouble(1.0);
      s.put("CurrentWeight", w);
      s.put("DesiredWeight", w);
      s.put("CurrentInstanceCount", running == null ? 0 : running.getOrDefault(vname, 0));
      s.put("DesiredInstanceCount", v.path("InitialInstanceCount").asInt(1));
    }
    return out;
  }

  // ---- runtime

  /** The runtime's InvokeEndpoint: the serving process's answer, or the error SageMaker Runtime gives. */
  public Fleet.Answer invoke(String endpoint, byte[] body, String contentType, String accept, String custom,
      String inferenceId, String targetVariant) throws IOException, InterruptedException {
    ResourceName name;
    try {
      name = new ResourceName(endpoint);
    } catch (ApiException e) {
      throw new ApiException("ValidationError", 400, e.getMessage());
    }
    Fleet f = fleets.get(name.value());
    if (f == null) {
      ObjectNode doc = endpoints.get(name).orElseThrow(() -> new ApiException("ValidationError", 400, "Endpoint "
          + name + " of account " + arns.account() + " not found."));
      throw new ApiException("ValidationError", 400, "Endpoint " + name + " is not in service: its status is "
          + doc.path("EndpointStatus").asText());
    }
    return f.invoke(body, contentType, accept, custom, inferenceId, targetVariant);
  }

  /** Stops every serving process (the API is shutting down). */
  public void stopAll() {
    fleets.values().forEach(Fleet::stop);
  }
}
