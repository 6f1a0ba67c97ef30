package dev.sagebox.engine.data;

/**
 * Training rows: features plus one label per row and, optionally, one weight per row ({@code weights} may be
 * {@code null}). {@code source} names where the rows came from, for messages; {@code origins}, when known (may be
 * {@code null}), names the file and line of each row.
 */
public record LabeledData(String source, Batch features, float[] labels, float[] weights, RowOrigins origins) {

  public LabeledData {
    if (labels.length != features.rows()) {
      throw new IllegalArgumentException("one label per row expected");
    }
    if (weights != null && weights.length != features.rows()) {
      throw new IllegalArgumentException("one weight per row expected");
    }
    if (origins != null && origins.rows() != features.rows()) {
      throw new IllegalArgumentException("row origins for " + origins.rows() + " rows, but " + features.rows()
          + " rows");
    }
  }

  public LabeledData(String source, Batch features, float[] labels, float[] weights) {
    this(source, features, labels, weights, null);
  }

  public int rows() {
    return labels.length;
  }

  /** The same rows with their origins; origins of another row count are not used (messages fall back to rows). */
  public LabeledData from(RowOrigins where) {
    return new LabeledData(source, features, labels, weights, where.rows() == rows() ? where : null);
  }

  /** Names feature {@code feature} of row {@code row} (0-based): file, line and CSV column when known. */
  public String describeFeature(int row, int feature) {
    return origins != null ? origins.describe(row, feature) : source + ", row " + (row + 1) + ", feature " + feature;
  }

  /** Names row {@code row} (0-based): its file and line when known, else {@code source, row N}. */
  public String describeRow(int row) {
    return origins != null ? origins.describe(row) : source + ", row " + (row + 1);
  }
}
