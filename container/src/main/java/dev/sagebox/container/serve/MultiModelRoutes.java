package dev.sagebox.container.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagebox.container.metrics.ServingMetrics;
import dev.sagebox.container.mme.LoadedModel;
import dev.sagebox.container.mme.ModelName;
import dev.sagebox.container.mme.ModelRegistry;
import dev.sagebox.engine.codec.JsonProblems;
import dev.sagebox.engine.error.UserError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;

/**
 * SageMaker's multi-model API (CONTRACT.md §B.5): {@code POST /models} (load; 409 when loaded, 507 when it cannot
 * fit), {@code GET /models} (paged), {@code GET /models/{name}}, {@code DELETE /models/{name}} and
 * {@code POST /models/{name}/invoke} (404 when not loaded).
 */
final class MultiModelRoutes {
  static final int MAX_PAGE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ModelRegistry<ServedModel> models;
  private final RequestBodies bodies;
  private final Invoker invoker;
  private final ServingMetrics metrics;

  /** @param metrics where model loads are counted, or null */
  MultiModelRoutes(ModelRegistry<ServedModel> models, RequestBodies bodies, Invoker invoker, ServingMetrics metrics) {
    this.models = models;
    this.bodies = bodies;
    this.invoker = invoker;
    this.metrics = metrics;
    if (metrics != null) {
      metrics.watchModels(models::size, models::usedBytes, models::evictions);
    }
  }

  void register(RoutesConfig routes) {
    routes.post("/models", this::load);
    routes.get("/models", this::list);
    routes.get("/models/{name}", this::describe);
    routes.delete("/models/{name}", this::unload);
    routes.post("/models/{name}/invoke", this::invoke);
  }

  ModelRegistry<ServedModel> registry() {
    return models;
  }

  private void load(Context ctx) throws IOException {
    byte[] body = bodies.read(ctx);
    if (body == null) {
      return;
    }
    String name = ctx.queryParam("model_name");
    String url = ctx.queryParam("url");
    if (body.length > 0) {
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UserError("the load request is not JSON: " + ClientText.printable(JsonProblems.describe(e))
            + "; send {\"model_name\": \"...\", \"url\": \"...\"}");
      }
      if (request == null || !request.isObject()) {
        throw new UserError("the load request must be a JSON object {\"model_name\": \"...\", \"url\": \"...\"}");
      }
      name = text(request, "model_name", name);
      url = text(request, "url", url);
    }
    if (name == null) {
      throw new UserError("model_name is missing; send {\"model_name\": \"...\", \"url\": \"...\"}");
    }
    ModelName modelName = new ModelName(name);
    long t0 = System.nanoTime();
    ModelRegistry.LoadResult result;
    try {
      result = models.load(modelName, url);
    } catch (RuntimeException e) {
      countLoad("failed", t0);
      throw e;
    }
    countLoad(result instanceof ModelRegistry.LoadResult.Loaded ? "ok"
        : result instanceof ModelRegistry.LoadResult.TooLarge ? "too_large" : "conflict", t0);
    if (result instanceof ModelRegistry.LoadResult.AlreadyLoaded) {
      ErrorResponses.send(ctx, 409, "model " + modelName + " is already loaded");
    } else if (result instanceof ModelRegistry.LoadResult.TooLarge big) {
      ErrorResponses.send(ctx, 507, big.reason());
    } else {
      ctx.status(200).contentType("application/json").result(JSON.writeValueAsString(JSON.createObjectNode()
          .put("status", "model " + modelName + " loaded")));
    }
  }

  private void countLoad(String outcome, long t0) {
    if (metrics != null) {
      metrics.modelLoad(outcome, (System.nanoTime() - t0) / 1e9);
    }
  }

  private static String text(JsonNode request, String field, String fallback) {
    JsonNode v = request.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new UserError(field + " must be a string, not " + v.getNodeType().toString().toLowerCase());
    }
    return v.asText();
  }

  private void list(Context ctx) throws IOException {
    int limit = MAX_PAGE;
    String raw = ctx.queryParam("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw new UserError("limit '" + ClientText.printable(raw) + "' is invalid; accepted: 1 to " + MAX_PAGE);
      }
    }
    ModelRegistry.Page page = models.list(limit, Optional.ofNullable(ctx.queryParam("next_page_token")));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("models");
    for (LoadedModel<?> m : page.models()) {
      list.add(describe(m));
    }
    page.nextPageToken().ifPresent(t -> out.put("nextPageToken", t));
    ctx.contentType("application/json").result(JSON.writeValueAsString(out));
  }

  private static ObjectNode describe(LoadedModel<?> m) {
    return JSON.createObjectNode().put("modelName", m.name().value()).put("modelUrl", m.url());
  }

  private void describe(Context ctx) throws IOException {
    ModelName name = new ModelName(ctx.pathParam("name"));
    Optional<LoadedModel<ServedModel>> m = models.describe(name);
    if (m.isEmpty()) {
      notLoaded(ctx, name);
      return;
    }
    ctx.contentType("application/json").result(JSON.writeValueAsString(describe(m.get())));
  }

  private void unload(Context ctx) throws IOException {
    ModelName name = new ModelName(ctx.pathParam("name"));
    if (!models.unload(name)) {
      notLoaded(ctx, name);
      return;
    }
    ctx.contentType("application/json").result(JSON.writeValueAsString(JSON.createObjectNode()
        .put("status", "model " + name + " unloaded")));
  }

  private void invoke(Context ctx) throws IOException {
    ModelName name = new ModelName(ctx.pathParam("name"));
    byte[] body = bodies.read(ctx);
    if (body == null) {
      return;
    }
    Optional<ModelRegistry.Lease<ServedModel>> lease = models.acquire(name);
    if (lease.isEmpty()) {
      notLoaded(ctx, name);
      return;
    }
    try (ModelRegistry.Lease<ServedModel> l = lease.get()) {
      ctx.attribute("sagebox.model", name.value());
      invoker.answer(ctx, l.model(), body);
    }
  }

  private static void notLoaded(Context ctx, ModelName name) {
    ctx.attribute(InferenceServer.ERROR_DETAIL, "model not loaded");
    ErrorResponses.send(ctx, 404, "model " + name + " is not loaded; load it with POST /models");
  }
}
