package dev.sagebox.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code bin/sagebox train|serve} process, its output appended to a log file. Stopping sends SIGTERM, then
 * SIGKILL after the grace period, as SageMaker stops a container.
 */
public final class ChildProcess {
  static final String PID_SUFFIX = ".pid";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("sagebox.api.processes");
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
    Process process = pb.start();
    // Kept beside the log: an API killed without its shutdown hook leaves its children running, and the next API
    // on this state folder stops them (reapOrphans) before it starts their jobs and endpoints again.
    Files.writeString(pidFile(log), Long.toString(process.pid()));
    return new ChildProcess(process, log);
  }

  static Path pidFile(Path log) {
    return log.resolveSibling(log.getFileName() + PID_SUFFIX);
  }

  /**
   * Stops the {@code sagebox train|serve} processes a previous API left running under {@code root} (found by their
   * pid files; a pid now used by another program is left alone) and removes the pid files. Returns how many it
   * stopped.
   */
  public static int reapOrphans(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    List<Path> pidFiles;
    try (Stream<Path> walk = Files.walk(root, 8)) {
      pidFiles = walk.filter(f -> f.getFileName().toString().endsWith(PID_SUFFIX)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.warn("cannot look for processes left by an earlier API under {}: {}", root, e.getMessage());
      return 0;
    }
    int stopped = 0;
    for (Path f : pidFiles) {
      try {
        long pid = Long.parseLong(Files.readString(f).strip());
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent() && h.get().isAlive() && pid != ProcessHandle.current().pid() && isOurs(h.get())) {
          LOG.warn("stopping process {} left running by an earlier API ({})", pid, f.getParent());
          h.get().destroy();
          try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
          } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            h.get().destroyForcibly();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            h.get().destroyForcibly();
          }
          stopped++;
        }
        Files.deleteIfExists(f);
      } catch (IOException | NumberFormatException e) {
        LOG.warn("cannot read {}: {}", f, e.getMessage());
      }
    }
    return stopped;
  }

  /** A Sagebox container process (its command line names the container jar and train or serve). */
  private static boolean isOurs(ProcessHandle h) {
    String cmd = h.info().commandLine().orElse("");
    return cmd.contains("sagebox-container") && (cmd.endsWith(" serve") || cmd.endsWith(" train"));
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
