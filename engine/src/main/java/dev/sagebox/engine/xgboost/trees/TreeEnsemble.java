package dev.sagebox.engine.xgboost.trees;

/**
 * An XGBoost tree ensemble flattened into arrays: every node of every tree has one slot in {@code left},
 * {@code right}, {@code feature}, {@code value} (the split threshold of an inner node, the leaf value of a leaf) and
 * {@code flags}; categorical splits keep their category sets as bitsets. Walking it allocates nothing but the
 * output. Decisions are XGBoost's: a missing value (NaN, or a column past the row's end) follows the node's default
 * branch; a numerical split goes left when {@code value < threshold}; a categorical split goes right when the
 * category is in the node's set and left otherwise (also for negative or non-representable categories). Margins
 * are summed in single precision from the base margin in tree order, as XGBoost's CPU predictor sums them.
 * Immutable and safe to share between threads.
 */
public final class TreeEnsemble {
  static final byte DEFAULT_LEFT = 1;
  static final byte CATEGORICAL = 2;
  /** Largest category XGBoost represents exactly in a float (2^24). */
  private static final float MAX_CATEGORY = 16_777_216f;

  private final int[] left;
  private final int[] right;
  private final int[] feature;
  private final float[] value;
  private final byte[] flags;
  private final int[] catOffset;
  private final int[] catWords;
  private final long[] catBits;
  private final int[] roots;
  private final int[] treeGroup;
  private final float[] baseMargin;
  private final int treesPerIteration;
  private final Link link;

  TreeEnsemble(Nodes nodes, int[] roots, int[] treeGroup, float[] baseMargin,
      int treesPerIteration, Link link) {
    this.left = nodes.left;
    this.right = nodes.right;
    this.feature = nodes.feature;
    this.value = nodes.value;
    this.flags = nodes.flags;
    this.catOffset = nodes.catOffset;
    this.catWords = nodes.catWords;
    this.catBits = nodes.catBits;
    this.roots = roots;
    this.treeGroup = treeGroup;
    this.baseMargin = baseMargin;
    this.treesPerIteration = Math.max(1, treesPerIteration);
    this.link = link;
  }

  /** The node arrays of all trees, as {@link TreeModelReader} builds them. */
  record Nodes(int[] left, int[] right, int[] feature, float[] value, byte[] flags, int[] catOffset, int[] catWords,
      long[] catBits) {}

  /** Margins per row (output groups: classes or targets). */
  public int groups() {
    return baseMargin.length;
  }

  /** Values per row of {@link #predict}. */
  public int outputWidth() {
    return link.width(groups());
  }

  public int trees() {
    return roots.length;
  }

  /** Boosting rounds held (trees / (output groups x parallel trees)). */
  public int iterations() {
    return roots.length / treesPerIteration;
  }

  /**
   * Margins of {@code rows} dense rows of {@code columns} values each (row-major, NaN missing), using the trees of
   * iterations {@code [fromIteration, toIteration)}: {@code rows x groups()} values, row-major.
   */
  public float[] margins(float[] x, int rows, int columns, int fromIteration, int toIteration) {
    int groups = baseMargin.length;
    int firstTree = Math.max(0, fromIteration) * treesPerIteration;
    int endTree = Math.min(roots.length, toIteration * treesPerIteration);
    float[] m = new float[rows * groups];
    for (int r = 0; r < rows; r++) {
      int at = r * groups;
      System.arraycopy(baseMargin, 0, m, at, groups);
      int offset = r * columns;
      for (int t = firstTree; t < endTree; t++) {
        m[at + treeGroup[t]] += value[leaf(roots[t], x, offset, columns)];
      }
    }
    return m;
  }

  /**
   * Margins of CSR rows (absent entries missing), using every tree: each row is spread into a scratch row of
   * {@code columns} values first.
   */
  public float[] marginsSparse(long[] rowOffsets, int[] indices, float[] values, int rows, int columns) {
    int groups = baseMargin.length;
    float[] m = new float[rows * groups];
    float[] row = new float[columns];
    java.util.Arrays.fill(row, Float.NaN);
    for (int r = 0; r < rows; r++) {
      int from = (int) rowOffsets[r];
      int to = (int) rowOffsets[r + 1];
      for (int k = from; k < to; k++) {
        if (indices[k] < columns) {
          row[indices[k]] = values[k];
        }
      }
      int at = r * groups;
      System.arraycopy(baseMargin, 0, m, at, groups);
      for (int t = 0; t < roots.length; t++) {
        m[at + treeGroup[t]] += value[leaf(roots[t], row, 0, columns)];
      }
      for (int k = from; k < to; k++) {
        if (indices[k] < columns) {
          row[indices[k]] = Float.NaN;
        }
      }
    }
    return m;
  }

  /** Margins using every tree. */
  public float[] margins(float[] x, int rows, int columns) {
    return margins(x, rows, columns, 0, Integer.MAX_VALUE / Math.max(1, treesPerIteration));
  }

  /** Predictions as XGBoost's {@code inplace_predict} returns them: one array of {@link #outputWidth()} per row. */
  public float[][] predict(float[] margins, int rows) {
    int groups = baseMargin.length;
    int width = link.width(groups);
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = new float[width];
      link.apply(margins, r * groups, groups, out[r]);
    }
    return out;
  }

  /** Margins split into one array per row. */
  public float[][] marginRows(float[] margins, int rows) {
    int groups = baseMargin.length;
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = java.util.Arrays.copyOfRange(margins, r * groups, (r + 1) * groups);
    }
    return out;
  }

  /**
   * {@code rows} rows of {@code columns} values that exercise the splits: values on, just below and just above the
   * thresholds the trees use, categories in and out of the sets, and missing values.
   */
  public float[] probeRows(int rows, int columns, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[] x = new float[rows * columns];
    int inner = 0;
    int[] innerNodes = new int[left.length];
    for (int n = 0; n < left.length; n++) {
      if (left[n] >= 0 && feature[n] < columns) {
        innerNodes[inner++] = n;
      }
    }
    java.util.Arrays.fill(x, Float.NaN);
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < columns * 2 && inner > 0; k++) {
        int n = innerNodes[random.nextInt(inner)];
        float v;
        if ((flags[n] & CATEGORICAL) != 0) {
          v = random.nextInt(Math.max(1, catWords[n] * 64 + 2)) - 1;
        } else {
          v = switch (random.nextInt(3)) {
            case 0 -> value[n];
            case 1 -> Math.nextDown(value[n]);
            default -> Math.nextUp(value[n]);
          };
        }
        x[r * columns + feature[n]] = random.nextInt(10) == 0 ? Float.NaN : v;
      }
    }
    return x;
  }

  private int leaf(int node, float[] x, int offset, int columns) {
    int n = node;
    int l;
    while ((l = left[n]) >= 0) {
      int f = feature[n];
      float v = f < columns ? x[offset + f] : Float.NaN;
      byte fl = flags[n];
      if (v != v) {
        n = (fl & DEFAULT_LEFT) != 0 ? l : right[n];
      } else if ((fl & CATEGORICAL) != 0) {
        n = inCategories(n, v) ? right[n] : l;
      } else {
        n = v < value[n] ? l : right[n];
      }
    }
    return n;
  }

  private boolean inCategories(int node, float v) {
    if (v < 0f || v >= MAX_CATEGORY) {
      return false;
    }
    int c = (int) v;
    int word = c >>> 6;
    if (word >= catWords[node]) {
      return false;
    }
    return (catBits[catOffset[node] + word] & (1L << (c & 63))) != 0;
  }
}
