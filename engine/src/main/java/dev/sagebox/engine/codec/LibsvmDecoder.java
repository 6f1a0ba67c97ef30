package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.error.DataFormatError;

/**
 * {@code text/libsvm}: {@code [label] index:value ...} per line. Indices are read as the model was trained
 * ({@link InputShape#libsvmIndexing()}: 0-based, 1-based, or, for models that do not record it, 1-based when every
 * index of the request is 1 or more) and must fall within the model's feature count.
 */
public final class LibsvmDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.LIBSVM;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, InputShape shape) {
    SparseBatch batch = new LibsvmReader(1).readFeatures(body, 0, body.length, "request body");
    int featureCount = shape.featureCount();
    int[] idx = batch.indices();
    long[] off = batch.rowOffsets();
    boolean shift = switch (shape.libsvmIndexing()) {
      case ZERO_BASED -> false;
      case ONE_BASED -> true;
      case PER_REQUEST -> batch.smallestIndex() >= 1;
    };
    String numbering = switch (shape.libsvmIndexing()) {
      case ZERO_BASED -> "indices are 0-based, as the model was trained";
      case ONE_BASED -> "indices are 1-based, as the model was trained";
      case PER_REQUEST -> shift ? "read as 1-based, since every index of the request is 1 or more"
          : "read as 0-based, since the request uses index 0";
    };
    int low = shift ? 1 : 0;
    for (int r = 0; r < batch.rows(); r++) {
      for (long i = off[r]; i < off[r + 1]; i++) {
        int index = idx[(int) i];
        if (index < low || index - low >= featureCount) {
          throw new DataFormatError("request body", r + 1, 0, "feature index " + index + " is out of range: the "
              + "model has " + featureCount + " features, indices " + low + " to " + (featureCount - 1 + low)
              + " (" + numbering + ")");
        }
        if (shift) {
          idx[(int) i] = index - 1;
        }
      }
    }
    return batch.withColumns(featureCount);
  }
}
