package dev.sagebox.container.serve;

import dev.sagebox.container.ControlBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What may reach a client or a log line from a message: no absolute paths of this machine's file system (only their
 * last part), no native source locations ({@code [10:03:01] /workspace/src/predictor/utils.h:18: }), no control
 * bytes. A path counts as one of the file system's when its first part names a top-level directory here (or a
 * usual one); routes such as {@code /models/{name}/invoke} are left whole.
 */
final class ClientText {
  private static final Pattern NATIVE_PREFIX = Pattern.compile(
      "\\[\\d{1,2}:\\d{2}:\\d{2}\\]\\s*(?:[\\w./-]+\\.(?:cc|h|cu|cpp|hpp|cuh):\\d+:\\s*)?");
  private static final Pattern SOURCE_LOCATION = Pattern.compile("(?:/[\\w.+-]+)+\\.(?:cc|h|cu|cpp|hpp|cuh):\\d+:?\\s*");
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.:/])/(?:[^\\s/:'\",;()\\[\\]]+/)+"
      + "([^\\s/:'\",;()\\[\\]]*)");

  /** Top-level directory names that start a file-system path: this machine's, and the usual ones of others. */
  private static final Set<String> ROOTS = roots();

  private ClientText() {}

  private static Set<String> roots() {
    Set<String> names = new HashSet<>(Set.of("bin", "data", "dev", "etc", "home", "lib", "lib64", "mnt", "opt", "proc",
        "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var", "work", "workspace"));
    try (Stream<Path> top = Files.list(Path.of("/"))) {
      top.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException | RuntimeException e) {
      // the usual names only
    }
    names.remove("models"); // SageMaker's multi-model routes start with /models
    return Set.copyOf(names);
  }

  /** The message with native prefixes removed and absolute paths cut to their last part. */
  static String forClient(String message) {
    if (message == null) {
      return "";
    }
    String m = NATIVE_PREFIX.matcher(message).replaceAll("");
    m = SOURCE_LOCATION.matcher(m).replaceAll("");
    m = ABSOLUTE_PATH.matcher(m).replaceAll(r -> Matcher.quoteReplacement(isFileSystemPath(r.group())
        ? r.group(1) : r.group()));
    return printable(m);
  }

  private static boolean isFileSystemPath(String path) {
    int second = path.indexOf('/', 1);
    return ROOTS.contains(second < 0 ? path.substring(1) : path.substring(1, second));
  }

  /** Control bytes (and DEL) shown as {@code \xNN}, so a line of log stays one line. */
  static String printable(String s) {
    return ControlBytes.escaped(s);
  }

}
