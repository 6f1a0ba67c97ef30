package dev.sagebox.engine.data;

/**
 * Training rows: features plus one label per row and, optionally, one weight per row ({@code weights} may be
 * {@code null}). {@code source} names where the rows came from, for messages.
 */
public record LabeledData(String source, Batch features, float[] labels, float[] weights) {

  public LabeledData {
    if (labels.length != features.rows()) {
      throw new IllegalArgumentException("one label per row expected");
    }
    if (weights != null && weights.length != features.rows()) {
      throw new IllegalArgumentException("one weight per row expected");
    }
  }

  public int rows() {
    return labels.length;
  }
}
