package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.xgboost.capi.NativeBuffers;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.nio.file.Path;
import java.util.Locale;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's quantile matrices built from row blocks through the C API: each block is copied into a small reused
 * off-heap buffer and handed over by reference, and XGBoost keeps only its quantised index (one byte per value for
 * up to 256 bins) instead of a float copy of the data and then the index. In memory for the {@code hist} method; with
 * {@link #external}, XGBoost writes the index in pages to a cache folder and trains from there.
 */
final class QuantileMatrices {
  private static final int FEATURES = 0;
  private static final int INDICES = 1;
  private static final int OFFSETS = 2;
  private static final int LABELS = 3;
  private static final int WEIGHTS = 4;
  private static final int UPPER = 5;

  private final XGBoostCApi api;
  private final int threads;
  private final int maxBin;

  QuantileMatrices(XGBoostCApi api, int threads, int maxBin) {
    this.api = api;
    this.threads = threads;
    this.maxBin = maxBin;
  }

  /** An in-memory quantile matrix; {@code reference}: null, or the training matrix whose cuts it reuses. */
  DMatrix inMemory(RowBlocks blocks, int width, DMatrix reference) throws XGBoostError, Exception {
    String config = String.format(Locale.ROOT, "{\"missing\": NaN, \"nthread\": %d, \"max_bin\": %d}", threads,
        maxBin);
    return build(blocks, width, reference, config, false);
  }

  /** An external-memory quantile matrix whose pages go to files named {@code cachePrefix}* (folder created). */
  DMatrix external(RowBlocks blocks, int width, DMatrix reference, Path cachePrefix) throws XGBoostError, Exception {
    java.nio.file.Files.createDirectories(cachePrefix.toAbsolutePath().getParent());
    String prefix = cachePrefix.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    String config = String.format(Locale.ROOT, "{\"missing\": NaN, \"nthread\": %d, \"max_bin\": %d, "
        + "\"cache_prefix\": \"%s\", \"on_host\": false}", threads, maxBin, prefix);
    return build(blocks, width, reference, config, true);
  }

  private DMatrix build(RowBlocks blocks, int width, DMatrix reference, String config, boolean externalMemory)
      throws XGBoostError, Exception {
    long proxy = api.createProxy();
    try (NativeBuffers buffers = new NativeBuffers(6)) {
      XGBoostCApi.Batches batches = new XGBoostCApi.Batches() {
        @Override
        public void reset() throws Exception {
          blocks.reset();
        }

        @Override
        public boolean next() throws Exception {
          RowBlocks.Block b = blocks.next();
          if (b == null) {
            return false;
          }
          hand(b, width, proxy, buffers);
          return true;
        }
      };
      long handle = api.quantileMatrix(proxy, reference == null ? 0 : reference.getHandle(), batches, config,
          externalMemory);
      return new NativeMatrix(handle);
    } finally {
      api.free(proxy);
    }
  }

  /** Copies one block into the buffers and points the proxy at it. */
  private void hand(RowBlocks.Block b, int width, long proxy, NativeBuffers buffers) throws XGBoostError {
    TrainingRows rows = b.rows();
    if (rows.features() instanceof DenseBatch d) {
      int cols = d.columns();
      long at = buffers.floats(FEATURES, d.values(), b.from() * cols, b.count() * cols);
      api.setDense(proxy, at, b.count(), cols);
    } else {
      SparseBatch s = (SparseBatch) rows.features();
      int first = (int) s.rowOffsets()[b.from()];
      int nonZeros = (int) (s.rowOffsets()[b.from() + b.count()] - first);
      long offsets = buffers.rebasedOffsets(OFFSETS, s.rowOffsets(), b.from(), b.count() + 1);
      long indices = buffers.ints(INDICES, s.indices(), first, nonZeros);
      long values = buffers.floats(FEATURES, s.values(), first, nonZeros);
      api.setCsr(proxy, offsets, indices, values, b.count(), nonZeros, width);
    }
    long labels = buffers.floats(LABELS, rows.labels(), b.from(), b.count());
    api.setFloatInfo(proxy, "label", labels, b.count());
    if (rows.upperBounds() != null) {
      api.setFloatInfo(proxy, "label_lower_bound", labels, b.count());
      api.setFloatInfo(proxy, "label_upper_bound", buffers.floats(UPPER, rows.upperBounds(), b.from(), b.count()),
          b.count());
    }
    if (rows.weights() != null) {
      api.setFloatInfo(proxy, "weight", buffers.floats(WEIGHTS, rows.weights(), b.from(), b.count()), b.count());
    }
  }

  /** A matrix handle made through the C API, owned (and freed on dispose) like any xgboost4j DMatrix. */
  private static final class NativeMatrix extends DMatrix {
    NativeMatrix(long handle) {
      super(handle);
    }
  }
}
