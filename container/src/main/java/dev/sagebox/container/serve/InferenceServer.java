package dev.sagebox.container.serve;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.metrics.ServingMetrics;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.error.UserError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SageMaker inference HTTP server: {@code GET /ping}, {@code POST /invocations},
 * {@code GET /execution-parameters}. Built on Javalin 7 (Jetty); one access-log line per request.
 */
public final class InferenceServer implements AutoCloseable {
  static final String REQUEST_ID = "sagebox.requestId";
  static final String ERROR_DETAIL = "sagebox.errorDetail";
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.serve");
  private static final Logger ACCESS = LoggerFactory.getLogger("sagebox.access");

  private final ContainerSettings settings;
  private final Codecs codecs;
  private final ModelSlot slot;
  private final SlowClientGuard guard;
  private final RequestBodies bodies;
  private final Invoker invoker;
  /** Present when the server runs as a multi-model endpoint (SAGEMAKER_MULTI_MODEL=true). */
  private final MultiModelRoutes multiModel;
  private final OipRoutes openInference;
  private final ServingMetrics metrics;
  private final AtomicLong requestCounter = new AtomicLong();
  private final RateLimitedLog internalErrors = new RateLimitedLog(LOG, 10, java.time.Duration.ofMinutes(1));
  private final String idPrefix = Long.toHexString(System.currentTimeMillis() & 0xffffffL);
  private Javalin app;

  public InferenceServer(ContainerSettings settings, Codecs codecs, ModelSlot slot) {
    this(settings, codecs, slot, null);
  }

  /**
   * A server whose models come from {@code models} (a multi-model endpoint) when it is not null, or from
   * {@code slot}.
   */
  public InferenceServer(ContainerSettings settings, Codecs codecs, ModelSlot slot,
      dev.sagebox.container.mme.ModelRegistry<ServedModel> models) {
    this(settings, codecs, slot, models, null);
  }

  /** As above, recording every request and model load in {@code metrics} when it is not null. */
  public InferenceServer(ContainerSettings settings, Codecs codecs, ModelSlot slot,
      dev.sagebox.container.mme.ModelRegistry<ServedModel> models, ServingMetrics metrics) {
    this(settings, codecs, slot, models, metrics, SlowClientGuard.standard());
  }

  /** As above, with the slow-client limits of {@code guard} (tests use short ones). */
  InferenceServer(ContainerSettings settings, Codecs codecs, ModelSlot slot,
      dev.sagebox.container.mme.ModelRegistry<ServedModel> models, ServingMetrics metrics, SlowClientGuard guard) {
    this.settings = settings;
    this.metrics = metrics;
    this.codecs = codecs;
    this.slot = slot;
    this.guard = guard;
    this.bodies = new RequestBodies(settings, guard);
    this.invoker = new Invoker(settings, codecs);
    this.multiModel = models == null ? null : new MultiModelRoutes(models, bodies, invoker, metrics);
    this.openInference = new OipRoutes(this::readyModel, String.valueOf(settings.modelDir().getFileName()), models,
        codecs, bodies, dev.sagebox.container.Version.current());
    if (codecs.encoderFor(null, settings.defaultAccept()) == null) {
      throw new UserError(SageMakerEnv.DEFAULT_INVOCATIONS_ACCEPT + "='" + settings.defaultAccept() + "' is not a "
          + "type Sagebox can answer with; accepted: " + String.join(", ", codecs.producibleTypes()));
    }
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start() {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      // Bodies are read by RequestBody (limit, drain, 413); Javalin's own limit only guards other routes.
      cfg.http.maxRequestSize = settings.maxPayloadBytes();
      cfg.http.generateEtags = false;
      cfg.http.prefer405over404 = true;
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      // Slow clients: a stalled connection is dropped after the idle timeout, a body trickling in below the minimum
      // rate gets 408, and enough threads stay free for /ping while slow uploads are being refused.
      cfg.jetty.threadPool = SlowClientGuard.threadPool();
      cfg.jetty.modifyHttpConfiguration(guard::configure);
      cfg.jetty.timeoutStatus = 408;
      if (settings.accessLog() || metrics != null) {
        cfg.requestLogger.http(this::afterRequest);
      }
      cfg.routes.before(ctx -> ctx.attribute(REQUEST_ID, requestId(ctx)));
      cfg.routes.get("/ping", this::ping);
      cfg.routes.get("/execution-parameters", this::executionParameters);
      cfg.routes.post("/invocations", this::invocations);
      cfg.routes.get("/invocations", ctx -> methodNotAllowed(ctx, "POST"));
      // Javalin answers HEAD from a GET route with 200 and no body; /invocations only takes POST.
      cfg.routes.head("/invocations", ctx -> methodNotAllowed(ctx, "POST"));
      if (multiModel != null) {
        multiModel.register(cfg.routes);
      }
      openInference.register(cfg.routes);
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ErrorResponses.send(ctx, e.getStatus(),
          e.getStatus() == 413 ? tooLarge() : e.getStatus() == 404 && String.valueOf(e.getMessage())
              .startsWith("Endpoint ") ? noRoute(ctx) : e.getMessage()));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        if (ClientAbort.is(e)) {
          // The client went away or broke the body's framing: no stack trace, and the JSON error for a client that
          // is still there to read it (a malformed chunk, a body shorter than its Content-Length).
          ErrorResponses.send(ctx, 400, "client aborted: the request body could not be read ("
              + ClientAbort.describe(e) + "); send a complete body: Content-Length bytes, or well-formed chunks");
          return;
        }
        int status = ErrorResponses.statusOf(e);
        if (status >= 500) {
          internalErrors.log(ctx.attribute(REQUEST_ID), e);
        }
        ErrorResponses.send(ctx, e);
      });
      cfg.routes.error(405, ctx -> methodNotAllowed(ctx, allowed(ctx.path())));
      cfg.routes.error(404, ctx -> {
        if (ctx.attribute(ERROR_DETAIL) == null) {
          ErrorResponses.send(ctx, 404, noRoute(ctx));
        }
      });
    });
    app.start(settings.bindAddress(), settings.port());
    LOG.info("listening on {}:{} (max payload {} bytes, default Accept {}, feature check {}{})",
        settings.bindAddress(), app.port(), settings.maxPayloadBytes(), settings.defaultAccept(),
        settings.lenientFeatures() ? "lenient" : "strict", settings.batchOutput() ? ", SAGEMAKER_BATCH output" : "");
    return app.port();
  }

  /** No route for the request: what there is (Javalin's own text names only the request). */
  private String noRoute(Context ctx) {
    return "no route " + ctx.method() + " " + ctx.path()
        + "; routes: GET /ping, POST /invocations, GET /execution-parameters" + (multiModel == null ? ""
        : ", POST /models, GET /models, GET|DELETE /models/{name}, POST /models/{name}/invoke")
        + "; Open Inference Protocol: GET /v2, /v2/health/live|ready, /v2/models/{name}[/ready], "
        + "POST /v2/models/{name}/infer";
  }

  private String requestId(Context ctx) {
    String given = ctx.header("X-Amzn-SageMaker-Inference-Id");
    if (given != null && !given.isBlank() && given.length() <= 64) {
      return given;
    }
    return idPrefix + "-" + requestCounter.incrementAndGet();
  }

  private java.util.Optional<ServedModel> readyModel() {
    return slot.state() instanceof ModelSlot.Ready r ? java.util.Optional.of(r.model()) : java.util.Optional.empty();
  }

  private void ping(Context ctx) {
    if (multiModel != null) {
      ctx.status(200).result("");
      return;
    }
    ModelSlot.State s = slot.state();
    if (s instanceof ModelSlot.Ready) {
      ctx.status(200).result("");
    } else if (s instanceof ModelSlot.Failed f) {
      ErrorResponses.send(ctx, 500, "the model failed to load: " + f.reason());
    } else {
      ErrorResponses.send(ctx, 503, "the model is still loading");
    }
  }

  private void executionParameters(Context ctx) {
    ctx.contentType("application/json").result("{\"MaxConcurrentTransforms\":" + settings.maxConcurrentTransforms()
        + ",\"BatchStrategy\":\"" + settings.batchStrategy() + "\",\"MaxPayloadInMB\":" + settings.maxPayloadMb()
        + "}");
  }

  private void invocations(Context ctx) throws java.io.IOException {
    if (multiModel != null) {
      ErrorResponses.send(ctx, 404, "this server is a multi-model endpoint (" + SageMakerEnv.MULTI_MODEL
          + "=true): load models with POST /models and invoke them with POST /models/{name}/invoke");
      return;
    }
    ModelSlot.State s = slot.state();
    if (!(s instanceof ModelSlot.Ready ready)) {
      if (s instanceof ModelSlot.Failed f) {
        ErrorResponses.send(ctx, 500, "the model failed to load: " + f.reason());
      } else {
        ErrorResponses.send(ctx, 503, "the model is still loading; retry when GET /ping answers 200");
      }
      return;
    }
    byte[] body = bodies.read(ctx);
    if (body != null) {
      invoker.answer(ctx, ready.model(), body);
    }
  }

  private static String allowed(String path) {
    if (path.startsWith("/v2")) {
      return path.endsWith("/infer") ? "POST" : "GET";
    }
    if (path.startsWith("/models/")) {
      return path.endsWith("/invoke") ? "POST" : "GET, DELETE";
    }
    return switch (path) {
      case "/invocations" -> "POST";
      case "/ping", "/execution-parameters" -> "GET";
      default -> "GET, POST";
    };
  }

  private static void methodNotAllowed(Context ctx, String allow) {
    ctx.header("Allow", allow);
    ErrorResponses.send(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allow);
  }

  private String tooLarge() {
    return bodies.tooLarge();
  }

  private void afterRequest(Context ctx, Float ms) {
    if (metrics != null) {
      Object in = ctx.attribute(RequestBodies.BYTES_IN);
      metrics.request(ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path, modelLabel(ctx),
          ctx.status().getCode(), ms / 1000.0, in instanceof Integer n ? n : 0, bytesWritten(ctx));
    }
    if (settings.accessLog()) {
      logAccess(ctx, ms);
    }
  }

  private String modelLabel(Context ctx) {
    String named = ctx.pathParamMap().get("name");
    if (named != null) {
      return named;
    }
    return ctx.path().equals("/invocations") ? String.valueOf(settings.modelDir().getFileName()) : "";
  }

  private static long bytesWritten(Context ctx) {
    return ctx.res() instanceof org.eclipse.jetty.ee10.servlet.ServletApiResponse r
        ? r.getServletChannel().getHttpOutput().getWritten() : 0;
  }

  private void logAccess(Context ctx, Float ms) {
    Object detail = ctx.attribute(ERROR_DETAIL);
    Object rows = ctx.attribute("sagebox.rows");
    ACCESS.info(accessLine(ctx.ip(), String.valueOf(ctx.method()), ctx.path(), ctx.status().getCode(), ms,
        String.valueOf((Object) ctx.attribute(REQUEST_ID)), rows, detail));
  }

  /**
   * One access-log line. The client's inference id and the error detail may hold any printable text, so an id that is
   * not one plain word is quoted, and quotes and backslashes inside quotes are escaped: a client cannot add fields
   * ({@code rows=}, {@code error=}) to its own line.
   */
  static String accessLine(String ip, String method, String path, int status, Float ms, String id, Object rows,
      Object detail) {
    return String.format(java.util.Locale.ROOT, "%s %s %s %d %.2fms id=%s%s%s", ip, method,
        ClientText.printable(path), status, ms, logValue(id), rows == null ? "" : " rows=" + rows,
        detail == null ? "" : " error=" + quoted(ClientText.printable(brief(detail.toString()))));
  }

  private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[A-Za-z0-9._:/@+-]+");

  private static String logValue(String value) {
    String p = ClientText.printable(value);
    return PLAIN_WORD.matcher(p).matches() ? p : quoted(p);
  }

  private static String quoted(String printable) {
    return "\"" + printable.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** An error detail cut for the access log (the client got all of it): one short line per request. */
  private static String brief(String detail) {
    return detail.length() <= 160 ? detail : detail.substring(0, 157) + "...";
  }

  /** Stops accepting requests, lets running ones finish, then releases the model. */
  @Override
  public void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
    slot.close();
    if (multiModel != null) {
      multiModel.registry().close();
    }
  }
}
