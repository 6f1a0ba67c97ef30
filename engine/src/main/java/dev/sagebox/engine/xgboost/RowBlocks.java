package dev.sagebox.engine.xgboost;

/**
 * Training rows in blocks, read again from the start for each of XGBoost's passes over the data: the blocks of an
 * in-memory set ({@link #inMemory}), or of files streamed from disk for external memory.
 */
interface RowBlocks {
  /** Back to the first block. */
  void reset() throws Exception;

  /** The next block, or null after the last one. */
  Block next() throws Exception;

  /** {@code count} rows of {@code rows} from row {@code from}. */
  record Block(TrainingRows rows, int from, int count) {}

  /** {@code rows} in blocks of at most {@code blockRows} rows (views, nothing copied). */
  static RowBlocks inMemory(TrainingRows rows, int blockRows) {
    return new RowBlocks() {
      private int at;

      @Override
      public void reset() {
        at = 0;
      }

      @Override
      public Block next() {
        if (at >= rows.rows()) {
          return null;
        }
        int n = Math.min(blockRows, rows.rows() - at);
        Block b = new Block(rows, at, n);
        at += n;
        return b;
      }
    };
  }
}
