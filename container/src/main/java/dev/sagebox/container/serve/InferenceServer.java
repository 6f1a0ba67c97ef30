package dev.sagebox.container.serve;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.engine.codec.BatchLinesEncoder;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.RequestDecoder;
import dev.sagebox.engine.codec.ResponseEncoder;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.onnx.Tensor;
import dev.sagebox.engine.onnx.TensorResponseEncoder;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
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

  private static final ResponseEncoder BATCH_LINES = new BatchLinesEncoder();
  private final ContainerSettings settings;
  private final Codecs codecs;
  private final ModelSlot slot;
  private final AtomicLong requestCounter = new AtomicLong();
  private final RateLimitedLog internalErrors = new RateLimitedLog(LOG, 10, java.time.Duration.ofMinutes(1));
  private final String idPrefix = Long.toHexString(System.currentTimeMillis() & 0xffffffL);
  private Javalin app;

  public InferenceServer(ContainerSettings settings, Codecs codecs, ModelSlot slot) {
    this.settings = settings;
    this.codecs = codecs;
    this.slot = slot;
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
      cfg.jetty.modifyHttpConfiguration(SlowClientGuard::configure);
      cfg.jetty.timeoutStatus = 408;
      if (settings.accessLog()) {
        cfg.requestLogger.http(this::logAccess);
      }
      cfg.routes.before(ctx -> ctx.attribute(REQUEST_ID, requestId(ctx)));
      cfg.routes.get("/ping", this::ping);
      cfg.routes.get("/execution-parameters", this::executionParameters);
      cfg.routes.post("/invocations", this::invocations);
      cfg.routes.get("/invocations", ctx -> methodNotAllowed(ctx, "POST"));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ErrorResponses.send(ctx, e.getStatus(),
          e.getStatus() == 413 ? tooLarge() : e.getMessage()));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        if (ClientAbort.is(e)) {
          // The client went away (or sent a malformed body); nobody reads the answer, so no stack trace either.
          ctx.attribute(ERROR_DETAIL, "client aborted: " + ClientText.printable(ClientAbort.describe(e)));
          ctx.status(400);
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
          ErrorResponses.send(ctx, 404, "no route " + ctx.method() + " " + ctx.path()
              + "; routes: GET /ping, POST /invocations, GET /execution-parameters");
        }
      });
    });
    app.start(settings.bindAddress(), settings.port());
    LOG.info("listening on {}:{} (max payload {} bytes, default Accept {}, feature check {}{})",
        settings.bindAddress(), app.port(), settings.maxPayloadBytes(), settings.defaultAccept(),
        settings.lenientFeatures() ? "lenient" : "strict", settings.batchOutput() ? ", SAGEMAKER_BATCH output" : "");
    return app.port();
  }

  private String requestId(Context ctx) {
    String given = ctx.header("X-Amzn-SageMaker-Inference-Id");
    if (given != null && !given.isBlank() && given.length() <= 64) {
      return given;
    }
    return idPrefix + "-" + requestCounter.incrementAndGet();
  }

  private void ping(Context ctx) {
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
    ModelSlot.State s = slot.state();
    if (!(s instanceof ModelSlot.Ready ready)) {
      if (s instanceof ModelSlot.Failed f) {
        ErrorResponses.send(ctx, 500, "the model failed to load: " + f.reason());
      } else {
        ErrorResponses.send(ctx, 503, "the model is still loading; retry when GET /ping answers 200");
      }
      return;
    }
    String te = ctx.header("Transfer-Encoding");
    if (te != null && !te.strip().equalsIgnoreCase("chunked")) {
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 501, "Transfer-Encoding '" + te + "' is not supported; send the body as is (with "
          + "Content-Length) or with Transfer-Encoding: chunked");
      return;
    }
    long declared = ctx.req().getContentLengthLong();
    RequestBody.Result read = RequestBody.read(ctx.req().getInputStream(), declared, settings.maxPayloadBytes(),
        drainBound());
    if (read instanceof RequestBody.TooLarge big) {
      if (!big.drained()) {
        ctx.header("Connection", "close");
      }
      ErrorResponses.send(ctx, 413, tooLarge() + "; received " + (declared > 0 ? declared : big.seen() + "+")
          + " bytes");
      return;
    }
    byte[] body = ((RequestBody.Complete) read).bytes();
    if (ready.model() instanceof ServedModel.Tensors tensors) {
      tensorInvocation(ctx, tensors, body);
      return;
    }
    Predictor predictor = ((ServedModel.Table) ready.model()).predictor();
    RequestDecoder decoder = codecs.decoderFor(ctx.header("Content-Type"));
    ResponseEncoder encoder = codecs.encoderFor(ctx.header("Accept"), settings.defaultAccept());
    if (body.length == 0) {
      ctx.attribute(ERROR_DETAIL, "empty request body");
      ctx.status(204);
      return;
    }
    Batch batch = decoder.decode(body, MediaType.parse(ctx.header("Content-Type")), inputShape(predictor));
    if (batch.rows() == 0) {
      ctx.attribute(ERROR_DETAIL, "request body holds no rows");
      ctx.status(204);
      return;
    }
    FiniteValues.require(batch, "request body");
    Predictions predictions = predictor.predict(batch);
    ctx.attribute("sagebox.rows", batch.rows());
    if (settings.batchOutput() && !predictions.selected()
        && XGBoostAlgorithm.NAME.equals(predictor.manifest().algorithm())) {
      // SageMaker XGBoost's batch-transform output: one prediction per line, whatever the Accept header.
      encoder = BATCH_LINES;
    }
    ctx.status(200).contentType(encoder.mediaType().essence()).result(encoder.encode(predictions));
  }

  /**
   * A bring-your-own ONNX model: the body is decoded from the model's inputs, the outputs are the first one, or
   * those named by the custom-attributes header or SAGEMAKER_INFERENCE_OUTPUT.
   */
  private void tensorInvocation(Context ctx, ServedModel.Tensors served, byte[] body) {
    String contentType = ctx.header("Content-Type");
    served.decoder().mediaTypeOf(contentType);
    String accept = Codecs.negotiate(ctx.header("Accept"), TensorResponseEncoder.PRODUCIBLE,
        settings.defaultAcceptGiven() && TensorResponseEncoder.PRODUCIBLE.contains(
            MediaType.parse(settings.defaultAccept()).essence()) ? settings.defaultAccept() : "application/json");
    if (body.length == 0) {
      ctx.attribute(ERROR_DETAIL, "empty request body");
      ctx.status(204);
      return;
    }
    OutputSelection selection = OutputSelection.of(ctx.header(OutputSelection.HEADER), served);
    java.util.Map<String, Tensor> inputs = served.decoder().decode(body, contentType);
    long rows = inputs.values().iterator().next().shape().length == 0 ? 1
        : inputs.values().iterator().next().shape()[0];
    if (rows == 0) {
      ctx.attribute(ERROR_DETAIL, "request body holds no rows");
      ctx.status(204);
      return;
    }
    java.util.Map<String, Tensor> outputs = served.model().run(inputs, selection.names());
    ctx.attribute("sagebox.rows", rows);
    ctx.status(200).contentType(accept).result(TensorResponseEncoder.encode(accept, outputs, selection.byName()));
  }

  private InputShape inputShape(Predictor predictor) {
    return new InputShape(predictor.featureCount(), settings.lenientFeatures(), predictor.libsvmIndexing(),
        "set " + SageMakerEnv.FEATURE_CHECK + "=lenient to treat missing trailing features as missing values");
  }

  /** How much of an oversized body is read and discarded before answering 413 (then the connection closes). */
  private long drainBound() {
    return Math.max(2 * settings.maxPayloadBytes(), 64L * 1024 * 1024);
  }

  private static String allowed(String path) {
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
    return "request body exceeds the limit of " + settings.maxPayloadBytes() + " bytes ("
        + SageMakerEnv.MAX_PAYLOAD_IN_MB + ", or " + SageMakerEnv.MAX_CONTENT_LENGTH + " in bytes)";
  }

  private void logAccess(Context ctx, Float ms) {
    Object detail = ctx.attribute(ERROR_DETAIL);
    Object rows = ctx.attribute("sagebox.rows");
    ACCESS.info(String.format(java.util.Locale.ROOT, "%s %s %s %d %.2fms id=%s%s%s", ctx.ip(), ctx.method(),
        ClientText.printable(ctx.path()), ctx.status().getCode(), ms,
        ClientText.printable(String.valueOf((Object) ctx.attribute(REQUEST_ID))), rows == null ? "" : " rows=" + rows,
        detail == null ? "" : " error=\"" + brief(detail.toString()) + "\""));
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
  }
}
