package dev.sagebox.container;

/** Text for one line of a log, a failure file or an error body: control bytes (and DEL) shown as {@code \xNN}. */
public final class ControlBytes {
  private ControlBytes() {}

  /** {@code s} with every control byte and DEL written as {@code \xNN}; the same string when it has none. */
  public static String escaped(String s) {
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
