package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagebox.engine.error.UserError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a model in XGBoost's legacy binary format and writes the same model in XGBoost's JSON model format, which
 * XGBoost 3 loads ({@code XGBoost.loadModel(json)}) and predicts from exactly as XGBoost 1.x predicts from the
 * binary file.
 *
 * <p>XGBoost 1.0 to 1.7 wrote the binary format for {@code Booster.save_model(name)} when the name has no
 * {@code .json}/{@code .ubj} extension, so every {@code xgboost-model} SageMaker's built-in XGBoost containers 1.0-1
 * to 1.7-1 produced is one; it starts with the four bytes {@code binf}. XGBoost before 1.0 wrote the same layout
 * without those four bytes; it is read too (see {@link #isLegacyBinary}). XGBoost 3 reads neither.
 *
 * <p>Layout (little-endian; a string is a 64-bit length and the bytes; a vector a 64-bit count and the items):
 * <ol>
 *   <li>{@code "binf"} (1.0 and later);
 *   <li>the learner parameters, 136 bytes: base_score (float32), num_feature (uint32), num_class (int32),
 *       contain_extra_attrs, contain_eval_metrics (int32), major_version, minor_version (uint32; 0 before 1.0), and
 *       since 1.6 num_target (uint32) and boost_from_average (int32), the rest reserved;
 *   <li>the objective's name and the booster's name (gbtree, dart or gblinear), as strings;
 *   <li>the booster: for gbtree, 160 bytes of parameters (num_trees, num_parallel_tree, ..., size_leaf_vector),
 *       each tree (148 bytes of parameters with num_nodes and num_deleted, then 20 bytes per node: parent with the
 *       is-left-child bit, left and right child, split feature with the default-left bit, split condition or leaf
 *       value; then 16 bytes of statistics per node: loss_chg, sum_hess, base_weight, leaf_child_cnt), then one
 *       int32 per tree, its output group (tree_info); dart adds the vector of tree weights (weight_drop); gblinear
 *       is 136 bytes of parameters and the vector of weights ((num_feature + 1) per output group, bias last);
 *   <li>when contain_extra_attrs is set, a vector of (name, value) string pairs: the booster's attributes
 *       (best_iteration, best_score, best_ntree_limit, ...), plus since 1.0 the objective's configuration as JSON
 *       under "objective" and the evaluation metrics under "metrics", which XGBoost consumes and drops.
 * </ol>
 * Anything after that (before 1.0: count:poisson's max_delta_step and the metrics) is ignored, as XGBoost does.
 *
 * <p>The JSON follows what XGBoost 1.7.4 writes when it loads the binary file and saves it as JSON, and says
 * {@code "version": [1, 7, 4]} for that reason; a field the binary file has no source for takes 1.7.4's value
 * (no feature names or types, no categorical splits, gblinear's boosted_rounds 0). A pre-1.0 file gets the
 * treatment XGBoost 1.x gives it: base_score turned back from a margin, default objective parameters.
 *
 * <p>The reader checks every length and count against the bytes left before allocating, and checks that each tree
 * is a tree (children in range, no node reached twice, split features below num_feature), so that a corrupt file
 * is a {@link UserError} rather than a crash in XGBoost's native code.
 */
public final class LegacyBinaryModel {
  /** The version of the JSON format written: that of the XGBoost whose JSON output this follows. */
  static final int[] JSON_VERSION = {1, 7, 4};

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] MAGIC = {'b', 'i', 'n', 'f'};
  private static final int LEARNER_PARAM_BYTES = 136;
  private static final int GBTREE_PARAM_BYTES = 160;
  private static final int GBLINEAR_PARAM_BYTES = 136;
  private static final int TREE_PARAM_BYTES = 148;
  private static final int NODE_BYTES = 20;
  private static final int STAT_BYTES = 16;
  private static final int DELETED = -1;
  static final int LOW_31_BITS = 0x7fffffff;
  private static final Set<String> BOOSTERS = Set.of("gbtree", "dart", "gblinear");

  private LegacyBinaryModel() {}

  /**
   * Whether {@code bytes} look like a legacy binary model: they start with {@code binf} (XGBoost 1.x), or they
   * start with a pre-1.0 header (version 0, then an objective name and gbtree, dart or gblinear). JSON, UBJSON and
   * Python pickles are not.
   */
  public static boolean isLegacyBinary(byte[] bytes) {
    return startsWithMagic(bytes) || looksLikePre1(bytes);
  }

  /**
   * The model in {@code bytes} (a legacy binary model) as XGBoost JSON model bytes (UTF-8), for
   * {@code XGBoost.loadModel}.
   *
   * @param name the file's name, for messages
   * @throws UserError if the bytes are not a legacy binary model, or are truncated or corrupt: the message names the
   *     file, the byte offset and what was expected there
   */
  public static byte[] toJson(byte[] bytes, String name) {
    return LegacyModelJson.write(read(bytes, name), bytes.length);
  }

  // ---- Reading ----

  record Header(float baseScore, long numFeature, int numClass, int extraAttributes, long majorVersion,
      long minorVersion, long numTarget, int boostFromAverage) {
    int outputGroups() {
      return (int) Math.max(1, Math.max(numClass, numTarget));
    }
  }

  /** One tree, its arrays indexed by node; {@code splitIndex} is the raw word with the default-left bit. */
  record Tree(int numDeleted, int numFeature, int sizeLeafVector, int[] parent, int[] left, int[] right,
      int[] splitIndex, float[] condition, float[] lossChange, float[] sumHessian, float[] baseWeight) {
    int numNodes() {
      return parent.length;
    }
  }

  record GbTree(int numParallelTree, int sizeLeafVector, List<Tree> trees, int[] treeInfo) {}

  /** The parts read; {@code gbtree} for gbtree and dart, {@code weightDrop} for dart, {@code linear} for gblinear. */
  record Model(Header header, String objective, String booster, GbTree gbtree, float[] weightDrop,
      float[] linear, Map<String, String> attributes, ObjectNode objectiveConfig) {}

  private static Model read(byte[] bytes, String name) {
    LegacyBinaryReader r = new LegacyBinaryReader(bytes, name);
    if (startsWithMagic(bytes)) {
      r.skip(MAGIC.length, "the 'binf' header");
    } else if (!looksLikePre1(bytes)) {
      throw new UserError(name + " is not an XGBoost legacy binary model: it starts with neither 'binf' (XGBoost "
          + "1.x) nor a pre-1.0 header (" + describeStart(bytes) + ")");
    }
    Header h = readHeader(r);
    boolean pre1 = h.majorVersion() < 1;
    String objective = pre1 ? pre1Objective(r) : r.string("the objective's name");
    int boosterAt = r.position();
    String booster = r.string("the booster's name");
    if (!BOOSTERS.contains(booster)) {
      throw r.error(boosterAt, "the booster is '" + abbreviate(booster) + "'; expected gbtree, dart or gblinear");
    }
    GbTree gbtree = null;
    float[] weightDrop = null;
    float[] linear = null;
    if (booster.equals("gblinear")) {
      linear = readLinear(r, h);
    } else {
      gbtree = readGbTree(r, h);
      if (booster.equals("dart")) {
        weightDrop = readWeightDrop(r, gbtree.trees().size());
      }
    }
    Map<String, String> attributes = new TreeMap<>();
    Map<String, Integer> valueOffsets = new TreeMap<>();
    if (h.extraAttributes() != 0) {
      readAttributes(r, attributes, valueOffsets);
    }
    ObjectNode objectiveConfig = objectiveConfig(r, objective, h, attributes, valueOffsets);
    if (pre1 && !objective.startsWith("multi:")) {
      h = new Header(LegacyObjectives.baseScoreFromPre1Margin(objective, h.baseScore()), h.numFeature(),
          h.numClass(), h.extraAttributes(), h.majorVersion(), h.minorVersion(), h.numTarget(),
          h.boostFromAverage());
    }
    return new Model(h, objective, booster, gbtree, weightDrop, linear, attributes, objectiveConfig);
  }

  private static Header readHeader(LegacyBinaryReader r) {
    int at = r.position();
    r.need(LEARNER_PARAM_BYTES, "the learner parameters");
    float baseScore = r.f32("base_score");
    long numFeature = r.u32("num_feature");
    int numClass = r.i32("num_class");
    int extraAttributes = r.i32("contain_extra_attrs");
    r.i32("contain_eval_metrics");
    long major = r.u32("major_version");
    long minor = r.u32("minor_version");
    long numTarget = r.u32("num_target");
    int boostFromAverage = r.i32("boost_from_average");
    r.skip(LEARNER_PARAM_BYTES - 36, "the reserved learner parameters");
    if (numClass < 0) {
      throw r.error(at + 8, "num_class is " + numClass + "; expected 0 or more");
    }
    if (numTarget > Integer.MAX_VALUE) {
      throw r.error(at + 28, "num_target is " + numTarget + "; expected a small count");
    }
    return new Header(baseScore, numFeature, numClass, extraAttributes, major, minor, Math.max(1, numTarget),
        boostFromAverage);
  }

  /**
   * The objective's name in a pre-1.0 file: a string, except that files of very old XGBoost put 4 more bytes after
   * a length that then sits in the high half of the 64-bit word, as XGBoost's reader of that time accepted.
   */
  private static String pre1Objective(LegacyBinaryReader r) {
    int at = r.position();
    long length = r.u64("the length of the objective's name");
    if (Long.compareUnsigned(length, 0xffffffffL) >= 0) {
      r.skip(4, "the 4 bytes after an old-style objective name length");
      length >>>= 32;
    }
    return r.chars(r.count(length, at, 1, "bytes of the objective's name"), "the objective's name");
  }

  private static GbTree readGbTree(LegacyBinaryReader r, Header h) {
    int at = r.position();
    r.need(GBTREE_PARAM_BYTES, "the gbtree parameters");
    long numTrees = r.i32("num_trees");
    int numParallelTree = r.i32("num_parallel_tree");
    r.skip(4 + 4 + 8 + 4, "deprecated gbtree parameters");
    int sizeLeafVector = r.i32("size_leaf_vector");
    r.skip(GBTREE_PARAM_BYTES - 32, "the reserved gbtree parameters");
    if (sizeLeafVector != 0 && sizeLeafVector != 1) {
      throw r.error(at + 28, "the gbtree's size_leaf_vector is " + sizeLeafVector + "; expected 0 (vector leaves "
          + "were never saved in the binary format)");
    }
    // Each tree needs its parameters, at least one node with its statistics, and its tree_info entry.
    int n = r.count(numTrees, at, TREE_PARAM_BYTES + NODE_BYTES + STAT_BYTES + 4, "trees");
    List<Tree> trees = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      trees.add(readTree(r, i, h));
    }
    int infoAt = r.position();
    int[] treeInfo = r.ints(n, "tree_info, the output group of each of the " + n + " trees");
    int groups = h.outputGroups();
    for (int i = 0; i < n; i++) {
      if (treeInfo[i] < 0 || treeInfo[i] >= groups) {
        throw r.error(infoAt + 4 * i, "tree " + i + " is for output group " + treeInfo[i] + " but the model has "
            + groups + " (num_class " + h.numClass() + ")");
      }
    }
    int perRound = Math.max(1, numParallelTree);
    if (n % ((long) perRound * groups) != 0) {
      throw r.error(at, "the model has " + n + " trees, not a whole number of rounds of " + perRound
          + " parallel tree(s) for each of " + groups + " output group(s)");
    }
    return new GbTree(numParallelTree, sizeLeafVector, trees, treeInfo);
  }

  private static Tree readTree(LegacyBinaryReader r, int index, Header h) {
    String tree = "tree " + index;
    int at = r.position();
    r.need(TREE_PARAM_BYTES, "the parameters of " + tree);
    r.i32("num_roots");
    int numNodesAt = r.position();
    int numNodes = r.i32("num_nodes");
    int numDeleted = r.i32("num_deleted");
    r.i32("max_depth");
    int numFeature = r.i32("num_feature");
    int sizeLeafVector = r.i32("size_leaf_vector");
    r.skip(TREE_PARAM_BYTES - 24, "the reserved parameters of " + tree);
    int n = r.count(numNodes, numNodesAt, NODE_BYTES + STAT_BYTES, "nodes in " + tree);
    if (n == 0) {
      throw r.error(numNodesAt, tree + " has no nodes; expected at least its root");
    }
    if (sizeLeafVector != 0 && sizeLeafVector != 1) {
      throw r.error(numNodesAt + 16, tree + " has size_leaf_vector " + sizeLeafVector + "; expected 0 (vector "
          + "leaves were never saved in the binary format)");
    }
    if (numFeature < 0 || numFeature > h.numFeature()) {
      throw r.error(numNodesAt + 12, tree + " has num_feature " + numFeature + "; expected 0 to the model's "
          + h.numFeature());
    }
    int[] parent = new int[n];
    int[] left = new int[n];
    int[] right = new int[n];
    int[] split = new int[n];
    float[] condition = new float[n];
    int nodesAt = r.position();
    r.need((long) NODE_BYTES * n, "the " + n + " nodes of " + tree);
    for (int i = 0; i < n; i++) {
      parent[i] = r.i32("parent");
      left[i] = r.i32("left child");
      right[i] = r.i32("right child");
      split[i] = r.i32("split index");
      condition[i] = r.f32("split condition");
    }
    float[] lossChange = new float[n];
    float[] sumHessian = new float[n];
    float[] baseWeight = new float[n];
    r.need((long) STAT_BYTES * n, "the statistics of the " + n + " nodes of " + tree);
    for (int i = 0; i < n; i++) {
      lossChange[i] = r.f32("loss_chg");
      sumHessian[i] = r.f32("sum_hess");
      baseWeight[i] = r.f32("base_weight");
      r.i32("leaf_child_cnt");
    }
    Tree t = new Tree(numDeleted, numFeature, sizeLeafVector, parent, left, right, split, condition, lossChange,
        sumHessian, baseWeight);
    checkTree(r, t, tree, at, nodesAt, h.numFeature());
    return t;
  }

  /**
   * That the nodes form a tree XGBoost can walk: every parent in range, num_deleted right, and from the root every
   * split node's children in range, not deleted and reached once, its feature below num_feature.
   */
  private static void checkTree(LegacyBinaryReader r, Tree t, String tree, int at, int nodesAt, long numFeature) {
    int n = t.numNodes();
    int deleted = 0;
    for (int i = 1; i < n; i++) {
      if ((t.parent()[i] & LOW_31_BITS) >= n) {
        throw r.error(nodesAt + NODE_BYTES * i, tree + ": node " + i + "'s parent is " + (t.parent()[i] & LOW_31_BITS)
            + " but the tree has " + n + " nodes");
      }
      if (t.splitIndex()[i] == DELETED) {
        deleted++;
      }
    }
    if (deleted != t.numDeleted()) {
      throw r.error(at + 8, tree + " says num_deleted " + t.numDeleted() + " but " + deleted + " of its nodes are "
          + "marked deleted");
    }
    boolean[] seen = new boolean[n];
    int[] stack = new int[n];
    int top = 0;
    stack[top++] = 0;
    seen[0] = true;
    while (top > 0) {
      int node = stack[--top];
      int nodeAt = nodesAt + NODE_BYTES * node;
      if (t.splitIndex()[node] == DELETED) {
        throw r.error(nodeAt, tree + ": node " + node + " is marked deleted but is part of the tree");
      }
      if (t.left()[node] == -1) {
        continue;
      }
      for (int child : new int[] {t.left()[node], t.right()[node]}) {
        if (child <= 0 || child >= n) {
          throw r.error(nodeAt, tree + ": node " + node + " has child " + child + "; expected a node from 1 to "
              + (n - 1));
        }
        if (seen[child]) {
          throw r.error(nodeAt, tree + ": node " + child + " is reached twice (from node " + node + ")");
        }
        seen[child] = true;
        stack[top++] = child;
      }
      long feature = t.splitIndex()[node] & LOW_31_BITS;
      if (feature >= numFeature) {
        throw r.error(nodeAt, tree + ": node " + node + " splits on feature " + feature + " but the model has "
            + numFeature + " features");
      }
    }
  }

  private static float[] readWeightDrop(LegacyBinaryReader r, int numTrees) {
    if (numTrees == 0) {
      return new float[0];
    }
    int at = r.position();
    float[] weights = r.floatVector("dart tree weights (weight_drop)");
    if (weights.length != numTrees) {
      throw r.error(at, "dart has " + weights.length + " tree weights for " + numTrees + " trees");
    }
    return weights;
  }

  private static float[] readLinear(LegacyBinaryReader r, Header h) {
    r.skip(GBLINEAR_PARAM_BYTES, "the gblinear parameters");
    int at = r.position();
    float[] weights = r.floatVector("gblinear weights");
    long expected = (h.numFeature() + 1) * h.outputGroups();
    if (weights.length != expected) {
      throw r.error(at, "gblinear has " + weights.length + " weights; expected (num_feature " + h.numFeature()
          + " + 1) x " + h.outputGroups() + " output group(s) = " + expected);
    }
    return weights;
  }

  private static void readAttributes(LegacyBinaryReader r, Map<String, String> attributes,
      Map<String, Integer> valueOffsets) {
    int at = r.position();
    int n = r.count(r.u64("the number of attributes"), at, 16, "attributes");
    for (int i = 0; i < n; i++) {
      String key = r.string("the name of attribute " + i);
      int valueAt = r.position();
      String value = r.string("the value of attribute '" + abbreviate(key) + "'");
      // The pairs are sorted and unique when XGBoost writes them; a repeated name keeps its first value, as the
      // std::map XGBoost builds from them does.
      if (attributes.putIfAbsent(key, value) == null) {
        valueOffsets.put(key, valueAt);
      }
    }
  }

  /** The objective section, consuming the attributes XGBoost consumes when it loads the file. */
  private static ObjectNode objectiveConfig(LegacyBinaryReader r, String objective, Header h,
      Map<String, String> attributes, Map<String, Integer> valueOffsets) {
    JsonNode saved = null;
    String savedText = attributes.remove("objective");
    if (savedText != null) {
      try {
        saved = JSON.readTree(savedText);
      } catch (JsonProcessingException e) {
        throw r.error(valueOffsets.get("objective"), "the attribute 'objective' (the objective's configuration) "
            + "is not JSON: " + e.getOriginalMessage());
      }
    }
    attributes.remove("metrics");
    ObjectNode config = LegacyObjectives.config(objective, saved, h.numClass());
    String maxDeltaStep = attributes.remove("count_poisson_max_delta_step");
    if (maxDeltaStep != null) {
      LegacyObjectives.set(config, "poisson_regression_param", "max_delta_step", maxDeltaStep);
    }
    return config;
  }

  private static boolean startsWithMagic(byte[] bytes) {
    if (bytes.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** A pre-1.0 header: version 0.0, then a short objective name and a known booster name. */
  private static boolean looksLikePre1(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < LEARNER_PARAM_BYTES + 8 || b.getInt(20) != 0 || b.getInt(24) != 0) {
      return false;
    }
    int at = LEARNER_PARAM_BYTES;
    long length = b.getLong(at);
    at += 8;
    if (Long.compareUnsigned(length, 0xffffffffL) >= 0) {
      length >>>= 32;
      at += 4;
    }
    if (length < 1 || length > 64 || at + length + 8 > bytes.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      byte c = bytes[at + i];
      if (c < '!' || c > '~') {
        return false;
      }
    }
    at += (int) length;
    long boosterLength = b.getLong(at);
    at += 8;
    if (boosterLength < 1 || boosterLength > 8 || at + boosterLength > bytes.length) {
      return false;
    }
    return BOOSTERS.contains(new String(bytes, at, (int) boosterLength, StandardCharsets.US_ASCII));
  }

  private static String describeStart(byte[] bytes) {
    if (bytes.length == 0) {
      return "the file is empty";
    }
    StringBuilder s = new StringBuilder("its first bytes are");
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      s.append(String.format(" %02x", bytes[i] & 0xff));
    }
    return s.toString();
  }

  private static String abbreviate(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
