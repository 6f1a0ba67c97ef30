package dev.sagebox.controlplane;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/sagebox train|serve} process, its output appended to a log file. Stopping sends SIGTERM, then
 * SIGKILL after the grace period, as SageMaker stops a container.
 */
public final class ChildProcess {
  private final Process process;
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(Path launcher, String command, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), command));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.directory(log.getParent().toFile());
    return new ChildProcess(pb.start(), log);
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Waits up to {@code seconds}; the exit status, or null while it still runs. */
  public Integer waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}; returns once the process is gone. */
  public void stop(long graceSeconds) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Stops without waiting for the grace period to end (the caller moves on; SIGKILL follows in the background). */
  public void stopInBackground(long graceSeconds) {
    Thread t = new Thread(() -> {
      try {
        stop(graceSeconds);
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }, "stop-" + process.pid());
    t.setDaemon(true);
    t.start();
  }
}
