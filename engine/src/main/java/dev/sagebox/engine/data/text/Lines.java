package dev.sagebox.engine.data.text;

/** Line arithmetic on byte buffers: splitting work at line ends and turning byte offsets into line numbers. */
public final class Lines {
  private Lines() {}

  /** The 1-based line number of byte {@code offset}, counting from {@code start}. */
  public static long lineOf(byte[] buf, int start, int offset) {
    long line = 1;
    for (int i = start; i < offset && i < buf.length; i++) {
      if (buf[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Offsets that cut {@code [start, end)} into at most {@code parts} pieces, each cut just after a newline. */
  public static int[] splitAtNewlines(byte[] buf, int start, int end, int parts) {
    int[] cuts = new int[parts + 1];
    cuts[0] = start;
    int n = 1;
    long span = end - start;
    for (int i = 1; i < parts; i++) {
      int target = (int) (start + span * i / parts);
      target = Math.max(target, cuts[n - 1]);
      while (target < end && buf[target - 1] != '\n') {
        target++;
      }
      if (target >= end) {
        break;
      }
      if (target > cuts[n - 1]) {
        cuts[n++] = target;
      }
    }
    cuts[n++] = end;
    return java.util.Arrays.copyOf(cuts, n);
  }

  /** The text of the line holding {@code offset}, cut to {@code max} characters, for error messages. */
  public static String excerpt(byte[] buf, int start, int end, int offset, int max) {
    int s = offset;
    while (s > start && buf[s - 1] != '\n') {
      s--;
    }
    int e = offset;
    while (e < end && buf[e] != '\n' && buf[e] != '\r') {
      e++;
    }
    String text = new String(buf, s, e - s, java.nio.charset.StandardCharsets.UTF_8);
    return text.length() > max ? text.substring(0, max) + "..." : text;
  }
}
