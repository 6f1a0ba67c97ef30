package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server for SageMaker's API (awsJson1.1: {@code POST /} with {@code X-Amz-Target: SageMaker.<Op>}) and
 * SageMaker Runtime ({@code POST /endpoints/<name>/invocations}). Errors are AWS's: {@code __type} and message in
 * the body, the type also in {@code x-amzn-ErrorType}; every answer carries {@code x-amzn-RequestId}.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.api");
  private static final String TARGET_PREFIX = "SageMaker.";
  /** CloudWatch Logs' target prefix: the training logs' subset is served on the same port. */
  private static final String LOGS_PREFIX = "Logs_20140328.";
  /** SageMaker Runtime's payload limit. */
  private static final long MAX_PAYLOAD = 6L * 1024 * 1024;

  private final Map<String, Function<JsonNode, ObjectNode>> operations;
  private final Hosting hosting;
  private final Javalin app;

  public ApiServer(TrainingJobs training, Hosting hosting, TransformJobs transforms, TrainingLogs logs,
      SigV4Verifier signatures,
      String bind, int port) {
    this.hosting = hosting;
    Map<String, Function<JsonNode, ObjectNode>> ops = new TreeMap<>();
    ops.put("CreateTrainingJob", training::create);
    ops.put("DescribeTrainingJob", training::describe);
    ops.put("ListTrainingJobs", training::list);
    ops.put("StopTrainingJob", training::stop);
    ops.put("CreateModel", hosting::createModel);
    ops.put("DescribeModel", hosting::describeModel);
    ops.put("ListModels", hosting::listModels);
    ops.put("DeleteModel", hosting::deleteModel);
    ops.put("CreateEndpointConfig", hosting::createEndpointConfig);
    ops.put("DescribeEndpointConfig", hosting::describeEndpointConfig);
    ops.put("ListEndpointConfigs", hosting::listEndpointConfigs);
    ops.put("DeleteEndpointConfig", hosting::deleteEndpointConfig);
    ops.put("CreateEndpoint", hosting::createEndpoint);
    ops.put("DescribeEndpoint", hosting::describeEndpoint);
    ops.put("ListEndpoints", hosting::listEndpoints);
    ops.put("UpdateEndpoint", hosting::updateEndpoint);
    ops.put("DeleteEndpoint", hosting::deleteEndpoint);
    ops.put("CreateTransformJob", transforms::create);
    ops.put("DescribeTransformJob", transforms::describe);
    ops.put("ListTransformJobs", transforms::list);
    ops.put("StopTransformJob", transforms::stop);
    Map<String, Function<JsonNode, ObjectNode>> all = new TreeMap<>();
    ops.forEach((k, v) -> all.put(TARGET_PREFIX + k, v));
    all.put(LOGS_PREFIX + "DescribeLogStreams", logs::describeLogStreams);
    all.put(LOGS_PREFIX + "GetLogEvents", logs::getLogEvents);
    all.put(LOGS_PREFIX + "FilterLogEvents", logs::filterLogEvents);
    this.operations = all;
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = MAX_PAYLOAD + 1024 * 1024;
      cfg.routes.before(ctx -> {
        ctx.header("x-amzn-RequestId", UUID.randomUUID().toString());
        if (signatures != null) {
          Map<String, String> headers = new java.util.HashMap<>();
          ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
          signatures.verify(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(), headers,
              ctx.bodyAsBytes(), java.time.Instant.now());
        }
      });
      cfg.routes.post("/", this::api);
      cfg.routes.post("/endpoints/{name}/invocations", this::invoke);
      cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.type(), e.getMessage()));
      // Javalin's own refusals (a body over its size limit, ...) in the AWS error shape, not its plain text.
      cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
          e.getStatus() == 413 ? "ValidationError" : e.getStatus() == 404 ? "UnknownOperationException"
          : "ValidationException", e.getStatus() == 413 ? "the request body is larger than this API reads ("
          + (MAX_PAYLOAD + 1024 * 1024) + " bytes); InvokeEndpoint payloads are limited to " + MAX_PAYLOAD
          + " bytes (6 MB)" : e.getStatus() == 404 ? noRoute(ctx) : String.valueOf(e.getMessage())));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "InternalFailure", "the Sagebox API failed: " + e);
      });
      cfg.routes.error(404, ctx -> {
        if (!ctx.res().containsHeader("x-amzn-ErrorType")) {
          error(ctx, 404, "UnknownOperationException", noRoute(ctx));
        }
      });
    });
    app.start(bind, port);
  }

  public int port() {
    return app.port();
  }

  /** The supported operations, for the error that lists them. */
  public java.util.Set<String> operations() {
    return operations.keySet();
  }

  private void api(Context ctx) throws IOException {
    String target = ctx.header("X-Amz-Target");
    if (target == null || target.isBlank()) {
      throw new ApiException("UnknownOperationException", 400, "the request has no X-Amz-Target header; SageMaker's "
          + "API takes the operation there (X-Amz-Target: SageMaker.<Operation>, as the AWS SDKs send it); "
          + "supported: " + operations.keySet());
    }
    Function<JsonNode, ObjectNode> handler = operations.get(target);
    if (handler == null) {
      throw new ApiException("UnknownOperationException", 400, "Operation " + target + " is not supported by the "
          + "Sagebox API; supported (X-Amz-Target): " + operations.keySet());
    }
    JsonNode request;
    try {
      byte[] body = ctx.bodyAsBytes();
      request = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ApiException("SerializationException", 400, "the request body is not JSON: "
          + e.getMessage());
    }
    if (!request.isObject()) {
      throw new ApiException("SerializationException", 400, "the request body must be a JSON object");
    }
    ObjectNode out = handler.apply(request);
    ctx.contentType("application/x-amz-json-1.1").result(Json.MAPPER.writeValueAsBytes(out));
  }

  private void invoke(Context ctx) throws IOException, InterruptedException {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_PAYLOAD) {
      throw new ApiException("ValidationError", 400, "the request body is " + body.length + " bytes; the limit is "
          + MAX_PAYLOAD + " (6 MB)");
    }
    Fleet.Answer a = hosting.invoke(ctx.pathParam("name"), body, ctx.header("Content-Type"), ctx.header("Accept"),
        ctx.header("X-Amzn-SageMaker-Custom-Attributes"), ctx.header("X-Amzn-SageMaker-Inference-Id"),
        ctx.header("X-Amzn-SageMaker-Target-Variant"));
    ctx.header("x-Amzn-Invoked-Production-Variant", a.variant());
    if (a.customAttributes() != null) {
      ctx.header("X-Amzn-SageMaker-Custom-Attributes", a.customAttributes());
    }
    if (a.status() >= 400) {
      String original = new String(a.body(), java.nio.charset.StandardCharsets.UTF_8);
      ObjectNode e = Json.object();
      e.put("ErrorCode", a.status() < 500 ? "CLIENT_ERROR_FROM_MODEL" : "SERVER_ERROR_FROM_MODEL");
      e.put("Message", "Received " + (a.status() < 500 ? "client" : "server") + " error (" + a.status() + ") from "
          + "primary with message \"" + original.strip() + "\".");
      e.put("OriginalStatusCode", a.status());
      e.put("OriginalMessage", original);
      ctx.status(424).header("x-amzn-ErrorType", "ModelError").contentType("application/json")
          .result(Json.MAPPER.writeValueAsBytes(e));
      return;
    }
    if (a.contentType() != null) {
      ctx.contentType(a.contentType());
    }
    ctx.result(a.body());
  }

  private static String noRoute(Context ctx) {
    return "no route for " + ctx.method() + " " + ctx.path() + "; this API answers POST / (X-Amz-Target: "
        + "SageMaker.<Operation>) and POST /endpoints/<name>/invocations";
  }

  private static void error(Context ctx, int status, String type, String message) {
    ObjectNode e = Json.object();
    e.put("__type", type);
    e.put("message", message);
    try {
      ctx.status(status).header("x-amzn-ErrorType", type).contentType("application/x-amz-json-1.1")
          .result(Json.MAPPER.writeValueAsBytes(e));
    } catch (IOException ex) {
      ctx.status(500).result("{}");
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
