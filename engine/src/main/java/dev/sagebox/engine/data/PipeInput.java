package dev.sagebox.engine.data;

import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * SageMaker's Pipe mode: each epoch's data arrives in a named pipe {@code <channel>_<epoch>} that the platform
 * creates when it starts streaming that epoch and that can be read once, to its end. Opening waits for the pipe to
 * appear (the platform may create epoch N+1 only after epoch N was read), up to a limit.
 */
public final class PipeInput {
  private final Duration wait;

  /** @param wait how long to wait for a pipe to appear before failing */
  public PipeInput(Duration wait) {
    this.wait = wait;
  }

  public InputStream open(Path pipe, String channel, int epoch) {
    long deadline = System.nanoTime() + wait.toNanos();
    long sleep = 10;
    while (!Files.exists(pipe)) {
      if (System.nanoTime() > deadline) {
        throw new UserError("channel '" + channel + "' is in Pipe mode but its epoch-" + epoch + " pipe " + pipe
            + " did not appear within " + wait.toSeconds() + " s; SageMaker creates input/data/" + channel + "_<epoch>"
            + " for each epoch it streams (for a local run, create the pipe with mkfifo and write the data into it, "
            + "or use TrainingInputMode File)");
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
