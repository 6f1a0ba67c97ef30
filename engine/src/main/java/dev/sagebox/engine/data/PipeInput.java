package dev.sagebox.engine.data;

import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.TrainingInterrupted;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SageMaker's Pipe mode: each epoch's data arrives in a named pipe {@code <channel>_<epoch>} that the platform
 * creates when it starts streaming that epoch and that can be read once, to its end. Opening waits for the pipe to
 * appear (the platform may create epoch N+1 only after epoch N was read), up to a limit, saying so in the log when
 * it starts waiting and every {@link #REPORT_EVERY} after; a stop request (SIGTERM) ends the wait at once.
 */
public final class PipeInput {
  static final Duration REPORT_EVERY = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(PipeInput.class);
  private final Duration wait;
  private final BooleanSupplier stopRequested;

  /** @param wait how long to wait for a pipe to appear before failing */
  public PipeInput(Duration wait) {
    this(wait, () -> false);
  }

  /** As above; the wait ends with {@link TrainingInterrupted} as soon as {@code stopRequested} answers true. */
  public PipeInput(Duration wait, BooleanSupplier stopRequested) {
    this.wait = wait;
    this.stopRequested = stopRequested;
  }

  public InputStream open(Path pipe, String channel, int epoch) {
    long start = System.nanoTime();
    long deadline = start + wait.toNanos();
    long nextReport = start;
    long sleep = 10;
    while (!Files.exists(pipe)) {
      long now = System.nanoTime();
      if (stopRequested.getAsBoolean()) {
        throw new TrainingInterrupted("stopped on request while waiting for the epoch-" + epoch + " pipe of channel '"
            + channel + "' (" + pipe + ")", false);
      }
      if (now > deadline) {
        throw new UserError("channel '" + channel + "' is in Pipe mode but its epoch-" + epoch + " pipe " + pipe
            + " did not appear within " + wait.toSeconds() + " s; SageMaker creates input/data/" + channel + "_<epoch>"
            + " for each epoch it streams (for a local run, create the pipe with mkfifo and write the data into it, "
            + "or use TrainingInputMode File)");
      }
      if (now >= nextReport) {
        LOG.info("channel '{}' (Pipe mode): waiting for its epoch-{} pipe {}; {} s so far, giving up after {} s",
            channel, epoch, pipe, (now - start) / 1_000_000_000L, wait.toSeconds());
        nextReport = now + REPORT_EVERY.toNanos();
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformError("interrupted while waiting for " + pipe, e);
      }
      sleep = Math.min(500, sleep * 2);
    }
    try {
      // FileInputStream, not Files.newInputStream: the channel stream's available() seeks, which a pipe refuses.
      return new java.io.FileInputStream(pipe.toFile());
    } catch (IOException e) {
      throw new PlatformError("cannot open the pipe " + pipe + " of channel '" + channel + "': " + e.getMessage(), e);
    }
  }
}
