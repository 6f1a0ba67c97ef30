package dev.sagebox.container.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body up to the payload limit. A body over the limit is read on and thrown away up to a drain
 * bound before the 413 goes out, so that clients which send the whole body before reading (Python's http.client,
 * urllib, requests) see the 413 instead of a broken pipe; past the bound the connection is closed.
 */
final class RequestBody {
  /** What was read: the body, or how many bytes were seen before giving up on an oversized one. */
  sealed interface Result permits Complete, TooLarge {}

  record Complete(byte[] bytes) implements Result {}

  /** @param drained true when the whole body was read (the connection can stay open) */
  record TooLarge(long seen, boolean drained) implements Result {}

  private RequestBody() {}

  static Result read(InputStream in, long declared, long limit, long drainBound) throws IOException {
    if (declared > limit) {
      return drain(in, 0, drainBound);
    }
    int capacity = (int) Math.min(limit + 1, declared >= 0 ? declared + 1 : 64 * 1024);
    byte[] buf = new byte[Math.max(capacity, 16)];
    int size = 0;
    while (true) {
      if (size == buf.length) {
        if (size > limit) {
          return drain(in, size, drainBound);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
      }
      int n = in.read(buf, size, buf.length - size);
      if (n < 0) {
        break;
      }
      size += n;
      if (size > limit) {
        return drain(in, size, drainBound);
      }
    }
    return new Complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
  }

  private static TooLarge drain(InputStream in, long seen, long bound) throws IOException {
    byte[] sink = new byte[64 * 1024];
    long total = seen;
    while (total <= bound) {
      int n = in.read(sink);
      if (n < 0) {
        return new TooLarge(total, true);
      }
      total += n;
    }
    return new TooLarge(total, false);
  }
}
