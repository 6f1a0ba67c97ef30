package dev.sagebox.engine.data;

import java.util.Locale;

/**
 * How libsvm feature indices map to model columns. Training decides it once for the whole training set (smallest
 * index 0: {@link #ZERO_BASED}; smallest index 1 or more: {@link #ONE_BASED}, shifted down by one, as AWS's XGBoost
 * container does) and records it in the manifest, so requests are read the same way. Models without that record
 * (SageMaker's own) use {@link #PER_REQUEST}: AWS's serving rule, where a request whose indices are all 1 or more is
 * taken as 1-based.
 */
public enum LibsvmIndexing {
  ZERO_BASED("0"), ONE_BASED("1"), PER_REQUEST("per_request");

  /** The manifest detail key that records the choice. */
  public static final String MANIFEST_KEY = "libsvm_index_base";

  private final String recorded;

  LibsvmIndexing(String recorded) {
    this.recorded = recorded;
  }

  /** The value written in the manifest. */
  public String recorded() {
    return recorded;
  }

  /** Reads a manifest value; {@code null} (a model written before the choice was recorded) is zero-based. */
  public static LibsvmIndexing fromManifest(String value) {
    if (value == null) {
      return ZERO_BASED;
    }
    for (LibsvmIndexing i : values()) {
      if (i.recorded.equals(value.strip().toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw new dev.sagebox.engine.error.UserError("manifest detail " + MANIFEST_KEY + "='" + value
        + "' is invalid; accepted: 0, 1, per_request");
  }

  /** The choice for a training set whose smallest libsvm index is {@code minIndex} (-1: no libsvm entries). */
  public static LibsvmIndexing forTraining(int minIndex) {
    return minIndex >= 1 ? ONE_BASED : ZERO_BASED;
  }
}
