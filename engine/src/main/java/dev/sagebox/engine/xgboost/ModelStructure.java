package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Checks an XGBoost JSON or UBJSON model's trees before XGBoost's native loader sees them: XGBoost trusts the file,
 * so a child index out of range, a loop between nodes, a split on a feature the model does not have, node arrays of
 * different lengths or nesting thousands of levels deep crashed the whole process (a served endpoint with every
 * model on it, or a training with no failure file). A file that passes has trees XGBoost can walk.
 */
final class ModelStructure {
  private static final String[] NODE_ARRAYS = {"left_children", "right_children", "parents", "split_indices",
      "split_conditions", "default_left"};

  private ModelStructure() {}

  /** Throws a {@link UserError} naming {@code name} and the first problem found. */
  static void check(byte[] bytes, String name) {
    if (bytes.length == 0) {
      // XGBoost aborts the process on an empty buffer (terminate called without an active exception).
      throw new UserError(name + " is empty (0 bytes); a model file is the one XGBoost saved: train again or restore "
          + "it");
    }
    int first = 0;
    while (first < bytes.length && Character.isWhitespace(bytes[first])) {
      first++;
    }
    if (first == bytes.length || bytes[first] != '{') {
      return; // not JSON or UBJSON at all (a pickle, a text file): XGBoost refuses it cleanly, and we say what it is
    }
    Object doc;
    try {
      doc = ModelDocument.read(bytes);
    } catch (ModelDocument.Malformed e) {
      throw new UserError(name + " is not a readable XGBoost model: " + e.getMessage());
    }
    Map<?, ?> root = map(doc);
    Map<?, ?> learner = root == null ? null : map(root.get("learner"));
    if (learner == null) {
      return; // not a model document: XGBoost's own loader says what is wrong
    }
    long features = number(map(learner.get("learner_model_param")), "num_feature", -1);
    if (features > Integer.MAX_VALUE) {
      throw refused(name, "learner_model_param.num_feature is " + features);
    }
    Map<?, ?> booster = map(learner.get("gradient_booster"));
    Map<?, ?> model = booster == null ? null : map(booster.get("model"));
    if (model == null && booster != null && map(booster.get("gbtree")) != null) {
      model = map(map(booster.get("gbtree")).get("model")); // dart
    }
    if (model == null || !(model.get("trees") instanceof List<?> trees)) {
      return;
    }
    for (int t = 0; t < trees.size(); t++) {
      String problem = tree(map(trees.get(t)), features);
      if (problem != null) {
        throw refused(name, "tree " + t + ": " + problem);
      }
    }
  }

  private static UserError refused(String name, String problem) {
    return new UserError(name + " is damaged or was not written by XGBoost (" + problem + "); XGBoost would crash "
        + "on it, so it is refused: train again or restore the model file");
  }

  /** The first problem of one tree, or null. */
  private static String tree(Map<?, ?> tree, long features) {
    if (tree == null) {
      return "not an object";
    }
    long n = number(map(tree.get("tree_param")), "num_nodes", -1);
    long[] left = longs(tree.get("left_children"));
    long[] right = longs(tree.get("right_children"));
    long[] split = longs(tree.get("split_indices"));
    if (left == null || right == null) {
      return "no left_children/right_children arrays";
    }
    if (n < 0) {
      n = left.length;
    }
    if (n < 1) {
      return "no nodes";
    }
    for (String a : NODE_ARRAYS) {
      int len = length(tree.get(a));
      if (len >= 0 && len != n) {
        return a + " holds " + len + " entries for " + n + " nodes";
      }
    }
    BitSet seen = new BitSet((int) n);
    int[] stack = new int[(int) Math.min(n, 1 << 20) + 1];
    int top = 0;
    stack[top++] = 0;
    seen.set(0);
    while (top > 0) {
      int i = stack[--top];
      long l = left[i];
      long r = right[i];
      if (l == -1 && r == -1) {
        continue;
      }
      if (l < 0 || r < 0 || l >= n || r >= n || l == r) {
        return "node " + i + " has children " + l + " and " + r + " (nodes are 0 to " + (n - 1) + ", -1 for none)";
      }
      if (seen.get((int) l) || seen.get((int) r)) {
        return "node " + i + " points back to a node already in the tree (" + (seen.get((int) l) ? l : r) + ")";
      }
      if (split != null && features > 0 && (split[i] < 0 || split[i] >= features)) {
        return "node " + i + " splits on feature " + split[i] + " but the model has " + features;
      }
      seen.set((int) l);
      seen.set((int) r);
      if (top + 2 > stack.length) {
        stack = java.util.Arrays.copyOf(stack, stack.length * 2);
      }
      stack[top++] = (int) l;
      stack[top++] = (int) r;
    }
    return null;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : null;
  }

  /** A number member (XGBoost writes some as strings, such as "num_feature": "30"); {@code fallback} if absent. */
  private static long number(Map<?, ?> m, String key, long fallback) {
    Object v = m == null ? null : m.get(key);
    if (v instanceof Number num) {
      return num.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  private static long[] longs(Object o) {
    if (o instanceof long[] a) {
      return a;
    }
    if (o instanceof List<?> l) {
      long[] a = new long[l.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = l.get(i) instanceof Number num ? num.longValue() : Long.MIN_VALUE;
      }
      return a;
    }
    return null;
  }

  private static int length(Object o) {
    if (o instanceof long[] a) {
      return a.length;
    }
    if (o instanceof double[] a) {
      return a.length;
    }
    return o instanceof List<?> l ? l.size() : -1;
  }
}
