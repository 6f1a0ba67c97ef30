package dev.sagebox.engine.xgboost.trees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.text.GrowableFloats;
import dev.sagebox.engine.data.text.GrowableInts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles the JSON form of an XGBoost model ({@code Booster.toByteArray("json")}) into a {@link TreeEnsemble}.
 * Models this evaluator does not cover (gblinear, dart, vector leaves, re-coded categories, unknown objectives) come back
 * as {@link Compiled.Unsupported} with the reason, and are left to XGBoost itself.
 */
public final class TreeModelReader {
  private TreeModelReader() {}

  /** The outcome of compiling one model. */
  public sealed interface Compiled {
    /** The model compiled. */
    record Ready(TreeEnsemble ensemble) implements Compiled {}

    /** The model is outside what the evaluator covers, and why. */
    record Unsupported(String reason) implements Compiled {}
  }

  public static Compiled compile(byte[] json) {
    JsonNode learner;
    try {
      learner = new ObjectMapper().readTree(json).path("learner");
    } catch (IOException e) {
      return new Compiled.Unsupported("model JSON unreadable: " + e.getMessage());
    }
    String objective = learner.path("objective").path("name").asText("");
    Optional<Link> link = Link.of(objective);
    if (link.isEmpty()) {
      return new Compiled.Unsupported("objective '" + objective + "'");
    }
    JsonNode booster = learner.path("gradient_booster");
    String kind = booster.path("name").asText("");
    JsonNode model;
    if (!kind.equals("gbtree") || booster.findValue("weight_drop") != null) {
      // dart keeps per-tree weights (xgboost4j may label it gbtree): left to XGBoost.
      return new Compiled.Unsupported("booster '" + (booster.findValue("weight_drop") != null ? "dart" : kind)
          + "'");
    }
    model = booster.path("model");
    JsonNode enc = model.path("cats").path("enc");
    if (enc.isArray() && !enc.isEmpty()) {
      return new Compiled.Unsupported("the model re-codes categories");
    }
    JsonNode param = learner.path("learner_model_param");
    int groups = Math.max(1, Math.max(intOf(param.path("num_class")), intOf(param.path("num_target"))));
    float[] base = baseMargins(objective, param.path("base_score").asText("0.5"), groups);
    if (base == null) {
      return new Compiled.Unsupported("base_score '" + param.path("base_score").asText() + "'");
    }
    JsonNode trees = model.path("trees");
    JsonNode info = model.path("tree_info");
    int n = trees.size();
    if (info.size() != n) {
      return new Compiled.Unsupported("tree_info/weight_drop do not match the " + n + " trees");
    }
    int parallel = Math.max(1, intOf(model.path("gbtree_model_param").path("num_parallel_tree")));
    NodeArrays nodes = new NodeArrays();
    int[] roots = new int[n];
    int[] group = new int[n];
    for (int t = 0; t < n; t++) {
      JsonNode tree = trees.get(t);
      int leafSize = intOf(tree.path("tree_param").path("size_leaf_vector"));
      if (leafSize > 1) {
        return new Compiled.Unsupported("vector leaves (multi-target trees)");
      }
      group[t] = info.get(t).asInt();
      if (group[t] < 0 || group[t] >= groups) {
        return new Compiled.Unsupported("tree " + t + " has output group " + group[t]);
      }
      String problem = nodes.add(tree);
      if (problem != null) {
        return new Compiled.Unsupported("tree " + t + ": " + problem);
      }
      roots[t] = nodes.rootOf(t);
    }
    return new Compiled.Ready(new TreeEnsemble(nodes.build(), roots, group, base, groups * parallel,
        link.get()));
  }

  private static int intOf(JsonNode n) {
    return n.isNumber() ? n.asInt() : (n.isTextual() ? Integer.parseInt(n.asText().trim()) : 0);
  }

  /** {@code "5E-1"} or {@code "[a,b,...]"}, one per group or one for all, turned into margins. */
  private static float[] baseMargins(String objective, String raw, int groups) {
    String s = raw.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    String[] parts = s.split(",");
    if (parts.length != 1 && parts.length != groups) {
      return null;
    }
    float[] out = new float[groups];
    try {
      for (int g = 0; g < groups; g++) {
        out[g] = Link.baseMargin(objective, Float.parseFloat(parts[parts.length == 1 ? 0 : g].trim()));
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return out;
  }

  /** Grows the flattened node arrays tree by tree. */
  private static final class NodeArrays {
    private final GrowableInts left = new GrowableInts(256);
    private final GrowableInts right = new GrowableInts(256);
    private final GrowableInts feature = new GrowableInts(256);
    private final GrowableInts catOffset = new GrowableInts(256);
    private final GrowableInts catWords = new GrowableInts(256);
    private final GrowableFloats values = new GrowableFloats(256);
    private final GrowableInts flags = new GrowableInts(256);
    private final List<Long> bits = new ArrayList<>();
    private final GrowableInts starts = new GrowableInts(64);

    int rootOf(int tree) {
      return starts.array()[tree];
    }

    /** Adds one tree; returns a problem, or null. */
    String add(JsonNode tree) {
      JsonNode l = tree.path("left_children");
      JsonNode r = tree.path("right_children");
      JsonNode f = tree.path("split_indices");
      JsonNode c = tree.path("split_conditions");
      JsonNode d = tree.path("default_left");
      JsonNode type = tree.path("split_type");
      int count = l.size();
      if (count == 0 || r.size() != count || f.size() != count || c.size() != count || d.size() != count) {
        return "node arrays missing or of different lengths";
      }
      int start = left.size();
      starts.add(start);
      long[][] categories = categorySets(tree, count);
      for (int i = 0; i < count; i++) {
        int li = l.get(i).asInt();
        int ri = r.get(i).asInt();
        boolean leaf = li < 0;
        if (!leaf && (li >= count || ri < 0 || ri >= count)) {
          return "node " + i + " points outside the tree";
        }
        left.add(leaf ? -1 : start + li);
        right.add(leaf ? -1 : start + ri);
        feature.add(f.get(i).asInt());
        values.add((float) c.get(i).asDouble());
        JsonNode dl = d.get(i);
        byte fl = (dl.isBoolean() ? dl.asBoolean() : dl.asInt() != 0) ? TreeEnsemble.DEFAULT_LEFT : 0;
        boolean categorical = type.size() == count && type.get(i).asInt() == 1;
        if (categorical && !leaf) {
          long[] set = categories[i] == null ? new long[0] : categories[i];
          fl |= TreeEnsemble.CATEGORICAL;
          catOffset.add(bits.size());
          catWords.add(set.length);
          for (long w : set) {
            bits.add(w);
          }
        } else {
          catOffset.add(-1);
          catWords.add(0);
        }
        flags.add(fl);
      }
      return null;
    }

    private static long[][] categorySets(JsonNode tree, int count) {
      long[][] sets = new long[count][];
      JsonNode nodes = tree.path("categories_nodes");
      JsonNode segments = tree.path("categories_segments");
      JsonNode sizes = tree.path("categories_sizes");
      JsonNode cats = tree.path("categories");
      for (int k = 0; k < nodes.size(); k++) {
        int node = nodes.get(k).asInt();
        int from = segments.get(k).asInt();
        int size = sizes.get(k).asInt();
        int max = -1;
        for (int j = from; j < from + size; j++) {
          max = Math.max(max, cats.get(j).asInt());
        }
        long[] set = new long[max / 64 + 1];
        for (int j = from; j < from + size; j++) {
          int cat = cats.get(j).asInt();
          set[cat >>> 6] |= 1L << (cat & 63);
        }
        if (node >= 0 && node < count) {
          sets[node] = set;
        }
      }
      return sets;
    }

    TreeEnsemble.Nodes build() {
      int[] f = flags.toArray();
      byte[] fl = new byte[f.length];
      for (int i = 0; i < f.length; i++) {
        fl[i] = (byte) f[i];
      }
      long[] b = bits.stream().mapToLong(Long::longValue).toArray();
      return new TreeEnsemble.Nodes(left.toArray(), right.toArray(), feature.toArray(), values.toArray(), fl,
          catOffset.toArray(), catWords.toArray(), b);
    }
  }
}
