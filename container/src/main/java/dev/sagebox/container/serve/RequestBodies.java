package dev.sagebox.container.serve;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads request bodies for every route that takes one: within the payload limit (413 beyond it, after draining a
 * bounded amount so the client sees the answer), at a minimum rate (408 below it), and only plain or chunked
 * transfer encodings (501 otherwise).
 */
final class RequestBodies {
  /** The request attribute holding the body's size, for the metrics. */
  static final String BYTES_IN = "sagebox.bytesIn";
  private final ContainerSettings settings;

  RequestBodies(ContainerSettings settings) {
    this.settings = settings;
  }

  /** The body, or null when the answer (413, 501) has already been sent. */
  byte[] read(Context ctx) throws IOException {
    String te = ctx.header("Transfer-Encoding");
    if (te != null && !te.strip().equalsIgnoreCase("chunked")) {
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 501, "Transfer-Encoding '" + te + "' is not supported; send the body as is (with "
          + "Content-Length) or with Transfer-Encoding: chunked");
      return null;
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
      return null;
    }
    if (read instanceof RequestBody.TooSlow slow) {
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 408, "the request body came too slowly: " + slow.seen() + " bytes in " + slow.millis()
          + " ms; a body must keep up " + RequestBody.MIN_BYTES_PER_SECOND + " bytes/s on average once started");
      return null;
    }
    byte[] bytes = ((RequestBody.Complete) read).bytes();
    ctx.attribute(BYTES_IN, bytes.length);
    return bytes;
  }

  String tooLarge() {
    return "request body exceeds the limit of " + settings.maxPayloadBytes() + " bytes ("
        + SageMakerEnv.MAX_PAYLOAD_IN_MB + ", or " + SageMakerEnv.MAX_CONTENT_LENGTH + " in bytes)";
  }

  /** How much of an oversized body is read and discarded before answering 413 (then the connection closes). */
  private long drainBound() {
    return Math.max(2 * settings.maxPayloadBytes(), 64L * 1024 * 1024);
  }
}
