package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.error.DataFormatError;

/** {@code text/libsvm}: {@code [label] index:value ...} per line; indices must be below the feature count. */
public final class LibsvmDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.LIBSVM;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, int featureCount) {
    SparseBatch batch = new LibsvmReader(1).readFeatures(body, 0, body.length, "request body");
    if (batch.columns() > featureCount) {
      int[] idx = batch.indices();
      long[] off = batch.rowOffsets();
      for (int r = 0; r < batch.rows(); r++) {
        for (long i = off[r]; i < off[r + 1]; i++) {
          if (idx[(int) i] >= featureCount) {
            throw new DataFormatError("request body", r + 1, 0, "feature index " + idx[(int) i]
                + " is out of range: the model has " + featureCount + " features, indices 0 to "
                + (featureCount - 1) + " (indices are 0-based, as the model was trained)");
          }
        }
      }
    }
    return batch.withColumns(featureCount);
  }
}
