package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.LibsvmIndexing;

/**
 * What a model expects of request rows: its feature count, whether rows with fewer features are accepted (the
 * trailing ones then count as missing, as SageMaker's XGBoost does), and how libsvm indices are numbered.
 *
 * @param featureCount the model's feature count
 * @param lenient rows with fewer features than the model are padded with missing values instead of refused
 * @param libsvmIndexing how to read libsvm indices
 * @param widthHint appended to a too-few-features error (how to turn on lenient mode), or empty
 */
public record InputShape(int featureCount, boolean lenient, LibsvmIndexing libsvmIndexing, String widthHint) {

  public InputShape {
    widthHint = widthHint == null ? "" : widthHint;
  }

  /** Exactly {@code featureCount} features per row; libsvm indices zero-based. */
  public static InputShape strict(int featureCount) {
    return new InputShape(featureCount, false, LibsvmIndexing.ZERO_BASED, "");
  }

  public InputShape withLibsvmIndexing(LibsvmIndexing indexing) {
    return new InputShape(featureCount, lenient, indexing, widthHint);
  }
}
