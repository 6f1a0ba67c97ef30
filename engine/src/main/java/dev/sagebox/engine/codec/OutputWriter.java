package dev.sagebox.engine.codec;

/** Number formatting shared by the encoders: shortest float text that reads back to the same float. */
final class OutputWriter {
  private OutputWriter() {}

  static void number(StringBuilder sb, float v, String nanText) {
    if (Float.isNaN(v) || Float.isInfinite(v)) {
      sb.append(Float.isNaN(v) ? nanText : (v > 0 ? "Infinity" : "-Infinity"));
      return;
    }
    if (v == (int) v && Math.abs(v) < 1e7f) {
      // Whole numbers print as "1.0" like Python's str(float), not "1".
      sb.append((int) v).append(".0");
      return;
    }
    sb.append(v);
  }
}
