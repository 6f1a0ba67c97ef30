package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Body reading: limits, and the minimum rate counted from the body's first byte. */
class RequestBodyTest {
  /** Delivers one byte per read and advances the clock by {@code nanosPerByte} each time. */
  private static InputStream trickle(int bytes, AtomicLong clock, long nanosPerByte) {
    return new InputStream() {
      int sent;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (sent == bytes) {
          return -1;
        }
        clock.addAndGet(nanosPerByte);
        b[off] = '1';
        sent++;
        return 1;
      }
    };
  }

  @Test
  void aTrickledBodyIsGivenUpOnAfterTheGrace() throws Exception {
    AtomicLong clock = new AtomicLong();
    RequestBody.Result r = RequestBody.read(trickle(100_000, clock, 100_000_000L), 100_000, 6_000_000, 1 << 26,
        clock::get);
    assertThat(r).isInstanceOf(RequestBody.TooSlow.class);
    assertThat(((RequestBody.TooSlow) r).millis()).isBetween(2_000L, 3_000L);
  }

  @Test
  void aSmallBodyThatWaitedForAThreadIsNeverTooSlow() throws Exception {
    // The clock says the request started long ago; the body itself arrives at once.
    AtomicLong clock = new AtomicLong(60_000_000_000L);
    RequestBody.Result r = RequestBody.read(new ByteArrayInputStream("1,2,3\n".getBytes()), 6, 6_000_000, 1 << 26,
        clock::get);
    assertThat(r).isInstanceOf(RequestBody.Complete.class);
  }

  @Test
  void aSteadyBodyAboveTheRateCompletes() throws Exception {
    AtomicLong clock = new AtomicLong();
    // 10,000 bytes at 4 KB/s: 2.4 s, above the minimum rate.
    RequestBody.Result r = RequestBody.read(trickle(10_000, clock, 244_140L), -1, 6_000_000, 1 << 26, clock::get);
    assertThat(r).isInstanceOf(RequestBody.Complete.class);
    assertThat(((RequestBody.Complete) r).bytes()).hasSize(10_000);
  }

  @Test
  void anOversizedBodyTrickledWhileItIsDrainedIsGivenUpOnToo() throws Exception {
    AtomicLong clock = new AtomicLong();
    // Declared over the limit, then one byte every 100 ms: the drain stops after the grace instead of holding its
    // reader's place until the drain bound.
    RequestBody.Result r = RequestBody.read(trickle(100_000, clock, 100_000_000L), 200_000, 10, 1 << 26,
        clock::get);
    assertThat(r).isInstanceOf(RequestBody.TooLarge.class);
    assertThat(((RequestBody.TooLarge) r).drained()).isFalse();
    assertThat(clock.get()).isBetween(2_000_000_000L, 3_000_000_000L);
  }

  @Test
  void overTheLimitIsTooLarge() throws Exception {
    RequestBody.Result r = RequestBody.read(new ByteArrayInputStream(new byte[100]), 100, 10, 1000);
    assertThat(r).isInstanceOf(RequestBody.TooLarge.class);
    assertThat(((RequestBody.TooLarge) r).drained()).isTrue();
  }
}
