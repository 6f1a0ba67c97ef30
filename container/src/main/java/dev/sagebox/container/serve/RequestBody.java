package dev.sagebox.container.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body up to the payload limit. A body over the limit is read on and thrown away up to a drain
 * bound before the 413 goes out, so that clients which send the whole body before reading (Python's http.client,
 * urllib, requests) see the 413 instead of a broken pipe; past the bound the connection is closed. A body that
 * trickles in below {@link #MIN_BYTES_PER_SECOND} on average, counted from its first byte and after a grace of
 * {@link #GRACE_NANOS}, is given up on (408). Counting from the first byte, not from the request's start, keeps a
 * small body that waited for a busy server's thread from ever looking slow.
 */
final class RequestBody {
  /** What was read: the body, or how many bytes were seen before giving up on an oversized one. */
  sealed interface Result permits Complete, TooLarge, TooSlow {}

  /** Bytes per second a body must keep up on average once it has started (a 6 MB body may take an hour). */
  static final long MIN_BYTES_PER_SECOND = 2_048;
  static final long GRACE_NANOS = 2_000_000_000L;

  record Complete(byte[] bytes) implements Result {}

  /** @param drained true when the whole body was read (the connection can stay open) */
  record TooLarge(long seen, boolean drained) implements Result {}

  /** The body came slower than the minimum rate: {@code seen} bytes in {@code millis} since its first byte. */
  record TooSlow(long seen, long millis) implements Result {}

  private RequestBody() {}

  static Result read(InputStream in, long declared, long limit, long drainBound) throws IOException {
    return read(in, declared, limit, drainBound, System::nanoTime);
  }

  static Result read(InputStream in, long declared, long limit, long drainBound, java.util.function.LongSupplier clock)
      throws IOException {
    if (declared > limit) {
      return drain(in, 0, drainBound, clock);
    }
    // A declared length gets a buffer of exactly that size, so the body is held once (a 100 MB batch-transform
    // request costs 100 MB, not 200); a body without one grows by doubling.
    int capacity = (int) Math.min(limit + 1, declared >= 0 ? declared : 64 * 1024);
    byte[] buf = new byte[Math.max(capacity, declared >= 0 ? 0 : 16)];
    int size = 0;
    long firstByte = -1;
    while (true) {
      if (size == buf.length && size == declared) {
        int extra = in.read();
        if (extra < 0) {
          return new Complete(buf);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(16L, (long) buf.length * 2)));
        buf[size++] = (byte) extra;
        continue;
      }
      if (size == buf.length) {
        if (size > limit) {
          return drain(in, size, drainBound, clock);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(16L, (long) buf.length * 2)));
      }
      int n = in.read(buf, size, buf.length - size);
      if (n < 0) {
        break;
      }
      size += n;
      if (size > limit) {
        return drain(in, size, drainBound, clock);
      }
      long now = clock.getAsLong();
      if (firstByte < 0) {
        firstByte = now;
      } else if (size != declared && tooSlow(size, now - firstByte)) {
        return new TooSlow(size, (now - firstByte) / 1_000_000);
      }
    }
    return new Complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
  }

  private static boolean tooSlow(long bytes, long nanos) {
    return nanos > GRACE_NANOS && bytes < MIN_BYTES_PER_SECOND * ((nanos - GRACE_NANOS) / 1e9);
  }

  /**
   * Reads and discards an oversized body up to {@code bound}; a body that trickles in below the minimum rate is
   * given up on too (the connection then closes), so a slow oversized upload cannot hold its reader's place.
   */
  private static TooLarge drain(InputStream in, long seen, long bound, java.util.function.LongSupplier clock)
      throws IOException {
    byte[] sink = new byte[64 * 1024];
    long total = seen;
    long start = clock.getAsLong();
    while (total <= bound) {
      int n = in.read(sink);
      if (n < 0) {
        return new TooLarge(total, true);
      }
      total += n;
      if (tooSlow(total - seen, clock.getAsLong() - start)) {
        return new TooLarge(total, false);
      }
    }
    return new TooLarge(total, false);
  }
}
