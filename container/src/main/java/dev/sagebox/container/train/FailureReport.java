package dev.sagebox.container.train;

import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.error.EngineException;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a failed job writes to {@code output/failure} and which exit code it returns. The first line is the whole
 * story (SageMaker shows the first 1024 characters as FailureReason); later lines add the error class.
 */
public record FailureReport(int exitCode, String firstLine, String detail) {

  public static final int USER_ERROR = 1;
  public static final int ALGORITHM_ERROR = 2;
  public static final int PLATFORM_ERROR = 3;
  public static final int INTERNAL_ERROR = 4;

  public static FailureReport of(Throwable t) {
    if (t instanceof EngineException e) {
      String kind = e instanceof UserError ? "ClientError" : e instanceof AlgorithmError ? "AlgorithmError"
          : "PlatformError";
      int code = e instanceof UserError ? USER_ERROR : e instanceof PlatformError ? PLATFORM_ERROR
          : ALGORITHM_ERROR;
      String cause = e.getCause() == null ? "" : "\ncaused by: " + e.getCause();
      return new FailureReport(code, oneLine(e.getMessage()), kind + cause);
    }
    if (t instanceof LinkageError) {
      return new FailureReport(PLATFORM_ERROR, "cannot load a native library: " + oneLine(String.valueOf(t))
          + " (libraries are unpacked into java.io.tmpdir, which must be writable and allow execution; "
          + "with docker --read-only use --tmpfs /tmp:exec)", "PlatformError");
    }
    if (t instanceof OutOfMemoryError) {
      return new FailureReport(PLATFORM_ERROR, "out of memory: the data does not fit in the JVM heap; use a larger "
          + "instance or raise -XX:MaxRAMPercentage in JAVA_OPTS", "PlatformError");
    }
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return new FailureReport(INTERNAL_ERROR, "internal error: " + oneLine(String.valueOf(t)),
        "InternalError (a Sagebox bug; please report it with this file)\n" + sw);
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, firstLine + "\n" + detail + "\n", StandardCharsets.UTF_8);
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replace('\n', ' ').strip();
  }
}
