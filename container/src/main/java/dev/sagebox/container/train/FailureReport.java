package dev.sagebox.container.train;

import dev.sagebox.container.ControlBytes;
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
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError oom) {
        return outOfMemory(oom);
      }
    }
    if (t instanceof EngineException e) {
      String kind = e instanceof UserError ? "ClientError" : e instanceof AlgorithmError ? "AlgorithmError"
          : "PlatformError";
      int code = e instanceof UserError ? USER_ERROR : e instanceof PlatformError ? PLATFORM_ERROR
          : ALGORITHM_ERROR;
      // The cause's first line: a native library's message goes on with its own backtrace ("[bt] ...").
      String cause = e.getCause() == null ? "" : "\ncaused by: " + String.valueOf(e.getCause()).lines().findFirst()
          .orElse("");
      return new FailureReport(code, oneLine(e.getMessage()), kind + cause);
    }
    if (t instanceof LinkageError) {
      return new FailureReport(PLATFORM_ERROR, "cannot load a native library: " + oneLine(String.valueOf(t))
          + " (libraries are unpacked into java.io.tmpdir, which must be writable and allow execution; "
          + "with docker --read-only use --tmpfs /tmp:exec)", "PlatformError");
    }
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return new FailureReport(INTERNAL_ERROR, "internal error: " + oneLine(String.valueOf(t)),
        "InternalError (a Sagebox bug; please report it with this file)\n" + sw);
  }

  /** What ran out, how much there was, and how to give more. */
  static FailureReport outOfMemory(OutOfMemoryError e) {
    long max = Runtime.getRuntime().maxMemory();
    String what = e.getMessage() == null ? "Java heap space" : e.getMessage();
    return new FailureReport(PLATFORM_ERROR, String.format(java.util.Locale.ROOT, "out of memory (%s) with a "
        + "maximum heap of %d MiB: the data does not fit; use an instance with more memory, raise the heap share "
        + "with JAVA_OPTS=-XX:MaxRAMPercentage=85 (or -Xmx), or split the data", what, max >> 20),
        "PlatformError\ncaused by: " + e);
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, firstLine + "\n" + detail + "\n", StandardCharsets.UTF_8);
  }

  /** Quoted client text longer than this is shortened, so that what is accepted stays within 1024 characters. */
  private static final int QUOTED_MAX = 80;
  private static final java.util.regex.Pattern LONG_QUOTE = java.util.regex.Pattern.compile(
      "'([^']{" + (QUOTED_MAX + 1) + ",})'");

  /**
   * One line: line ends become spaces, other control bytes {@code \xNN}, and quoted text (a value as given) over
   * {@value #QUOTED_MAX} characters is cut to its start and its length.
   */
  static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ').strip();
    line = LONG_QUOTE.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement("'"
        + m.group(1).substring(0, QUOTED_MAX - 20) + "...' (" + m.group(1).length() + " characters)"));
    return ControlBytes.escaped(line);
  }
}
