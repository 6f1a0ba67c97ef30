package dev.sagebox.container.serve;

import java.util.regex.Pattern;

/**
 * What may reach a client or a log line from a message: no absolute paths (only their last part), no native source
 * locations ({@code [10:03:01] /workspace/src/predictor/utils.h:18: }), no control bytes.
 */
final class ClientText {
  private static final Pattern NATIVE_PREFIX = Pattern.compile(
      "\\[\\d{1,2}:\\d{2}:\\d{2}\\]\\s*(?:[\\w./-]+\\.(?:cc|h|cu|cpp|hpp|cuh):\\d+:\\s*)?");
  private static final Pattern SOURCE_LOCATION = Pattern.compile("(?:/[\\w.+-]+)+\\.(?:cc|h|cu|cpp|hpp|cuh):\\d+:?\\s*");
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.:/])/(?:[^\\s/:'\",;()\\[\\]]+/)+"
      + "([^\\s/:'\",;()\\[\\]]*)");

  private ClientText() {}

  /** The message with native prefixes removed and absolute paths cut to their last part. */
  static String forClient(String message) {
    if (message == null) {
      return "";
    }
    String m = NATIVE_PREFIX.matcher(message).replaceAll("");
    m = SOURCE_LOCATION.matcher(m).replaceAll("");
    m = ABSOLUTE_PATH.matcher(m).replaceAll("$1");
    return printable(m);
  }

  /** Control bytes (and DEL) shown as {@code \xNN}, so a line of log stays one line. */
  static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(String.format("\\x%02x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
