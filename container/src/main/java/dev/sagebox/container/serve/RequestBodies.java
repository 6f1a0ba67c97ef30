package dev.sagebox.container.serve;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads request bodies for every route that takes one: within the payload limit (413 beyond it, after draining a
 * bounded amount so the client sees the answer), at a minimum rate (408 below it or when it stalls), a bounded
 * number at once (503 beyond), only plain or chunked transfer encodings (501 otherwise), and decompressed per their
 * Content-Encoding (gzip, deflate; 415 for others).
 */
final class RequestBodies {
  /** The request attribute holding the body's size, for the metrics. */
  static final String BYTES_IN = "sagebox.bytesIn";
  private final ContainerSettings settings;
  private final SlowClientGuard guard;

  RequestBodies(ContainerSettings settings, SlowClientGuard guard) {
    this.settings = settings;
    this.guard = guard;
  }

  /** The body, or null when the answer (400, 408, 413, 415, 501, 503) has already been sent. */
  byte[] read(Context ctx) throws IOException {
    String te = ctx.header("Transfer-Encoding");
    if (te != null && !te.strip().equalsIgnoreCase("chunked")) {
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 501, "Transfer-Encoding '" + te + "' is not supported; send the body as is (with "
          + "Content-Length) or with Transfer-Encoding: chunked");
      return null;
    }
    ContentEncoding encoding = ContentEncoding.of(ctx.header("Content-Encoding"));
    if (encoding == null) {
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 415, "Content-Encoding '" + ctx.header("Content-Encoding") + "' is not supported; "
          + "accepted: " + ContentEncoding.ACCEPTED);
      return null;
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > settings.maxPayloadBytes() && "100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
      // The client waits for a 100 before it sends: answer at once, without asking for the body.
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 413, tooLarge() + "; declared " + declared + " bytes (Content-Length)");
      return null;
    }
    if (!guard.tryEnterBody()) {
      ctx.header("Connection", "close");
      ctx.header("Retry-After", "1");
      ErrorResponses.send(ctx, 503, "the server is busy: it is already reading " + guard.maxBodyReaders()
          + " request bodies, the most it reads at once; retry shortly");
      return null;
    }
    CountingInput in = null;
    RequestBody.Result read;
    try {
      in = new CountingInput(ctx.req().getInputStream());
      read = RequestBody.read(in, declared, settings.maxPayloadBytes(), drainBound());
    } catch (IOException e) {
      if (!stalled(e)) {
        throw e;
      }
      ctx.header("Connection", "close");
      ErrorResponses.send(ctx, 408, "the request body stalled: nothing arrived for " + guard.idleTimeoutMs() / 1000
          + " s after " + (in == null ? 0 : in.count()) + (declared >= 0 ? " of " + declared : "") + " bytes; send the whole body "
          + "without pausing");
      return null;
    } finally {
      guard.leaveBody();
    }
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
    ContentEncoding.Decoded decoded = encoding.decode(bytes, settings.maxPayloadBytes());
    if (decoded instanceof ContentEncoding.TooLarge) {
      ErrorResponses.send(ctx, 413, tooLarge() + "; the body decompressed (Content-Encoding: "
          + ctx.header("Content-Encoding").strip() + ") is larger");
      return null;
    }
    if (decoded instanceof ContentEncoding.Corrupt bad) {
      ErrorResponses.send(ctx, 400, "Content-Encoding: " + ctx.header("Content-Encoding").strip() + ", but "
          + bad.problem());
      return null;
    }
    return ((ContentEncoding.Body) decoded).bytes();
  }

  /** Jetty's idle timeout ended a read: the client sent nothing for that long. */
  private static boolean stalled(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The bytes read so far, for the message of a stalled body. */
  private static final class CountingInput extends java.io.FilterInputStream {
    private long count;

    CountingInput(java.io.InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    long count() {
      return count;
    }
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
