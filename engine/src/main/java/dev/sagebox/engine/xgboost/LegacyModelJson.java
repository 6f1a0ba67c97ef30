package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.error.PlatformError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Writes a model read by {@link LegacyBinaryModel} in XGBoost's JSON model format, as XGBoost 1.7.4 writes it after
 * loading the binary file.
 */
final class LegacyModelJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LegacyModelJson() {}


  static byte[] write(LegacyBinaryModel.Model m, int sizeHint) {
    // The JSON is about 1.5 times the binary; start there, up to 64 MiB (it grows past that as needed).
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(4096, Math.min(64L << 20, 2L * sizeHint)));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("learner");

      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> e : m.attributes().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("feature_names");
      g.writeEndArray();
      g.writeArrayFieldStart("feature_types");
      g.writeEndArray();

      g.writeObjectFieldStart("gradient_booster");
      switch (m.booster()) {
        case "gblinear" -> writeLinear(g, m.linear());
        case "dart" -> {
          g.writeObjectFieldStart("gbtree");
          writeGbTree(g, m.gbtree());
          g.writeEndObject();
          g.writeStringField("name", "dart");
          g.writeArrayFieldStart("weight_drop");
          writeFloats(g, m.weightDrop());
          g.writeEndArray();
        }
        default -> writeGbTree(g, m.gbtree());
      }
      g.writeEndObject();

      LegacyBinaryModel.Header h = m.header();
      g.writeObjectFieldStart("learner_model_param");
      g.writeStringField("base_score", floatText(h.baseScore()));
      g.writeStringField("boost_from_average", Integer.toString(h.boostFromAverage()));
      g.writeStringField("num_class", Integer.toString(h.numClass()));
      g.writeStringField("num_feature", Long.toString(h.numFeature()));
      g.writeStringField("num_target", Long.toString(h.numTarget()));
      g.writeEndObject();

      g.writeFieldName("objective");
      g.writeTree(m.objectiveConfig());
      g.writeEndObject();

      g.writeArrayFieldStart("version");
      for (int v : LegacyBinaryModel.JSON_VERSION) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new PlatformError("cannot write the JSON of a converted XGBoost model: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static void writeGbTree(JsonGenerator g, LegacyBinaryModel.GbTree t) throws IOException {
    g.writeObjectFieldStart("model");
    g.writeObjectFieldStart("gbtree_model_param");
    // XGBoost before 1.x kept a deprecated 1 (num_roots) or 0 here; 0 would leave XGBoost no trees per round.
    g.writeStringField("num_parallel_tree", Integer.toString(Math.max(1, t.numParallelTree())));
    g.writeStringField("num_trees", Integer.toString(t.trees().size()));
    g.writeStringField("size_leaf_vector", Integer.toString(t.sizeLeafVector()));
    g.writeEndObject();
    g.writeFieldName("tree_info");
    g.writeArray(t.treeInfo(), 0, t.treeInfo().length);
    g.writeArrayFieldStart("trees");
    for (int i = 0; i < t.trees().size(); i++) {
      writeTree(g, t.trees().get(i), i);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeStringField("name", "gbtree");
  }

  private static void writeTree(JsonGenerator g, LegacyBinaryModel.Tree t, int id) throws IOException {
    int n = t.numNodes();
    int[] parents = new int[n];
    int[] splitIndices = new int[n];
    int[] defaultLeft = new int[n];
    for (int i = 0; i < n; i++) {
      parents[i] = t.parent()[i] & LegacyBinaryModel.LOW_31_BITS;
      splitIndices[i] = t.splitIndex()[i] & LegacyBinaryModel.LOW_31_BITS;
      defaultLeft[i] = t.splitIndex()[i] >>> 31;
    }
    g.writeStartObject();
    g.writeArrayFieldStart("base_weights");
    writeFloats(g, t.baseWeight());
    g.writeEndArray();
    for (String empty : new String[] {"categories", "categories_nodes", "categories_segments", "categories_sizes"}) {
      g.writeArrayFieldStart(empty);
      g.writeEndArray();
    }
    g.writeFieldName("default_left");
    g.writeArray(defaultLeft, 0, n);
    g.writeNumberField("id", id);
    g.writeFieldName("left_children");
    g.writeArray(t.left(), 0, n);
    g.writeArrayFieldStart("loss_changes");
    writeFloats(g, t.lossChange());
    g.writeEndArray();
    g.writeFieldName("parents");
    g.writeArray(parents, 0, n);
    g.writeFieldName("right_children");
    g.writeArray(t.right(), 0, n);
    g.writeArrayFieldStart("split_conditions");
    writeFloats(g, t.condition());
    g.writeEndArray();
    g.writeFieldName("split_indices");
    g.writeArray(splitIndices, 0, n);
    g.writeFieldName("split_type");
    g.writeArray(new int[n], 0, n);
    g.writeArrayFieldStart("sum_hessian");
    writeFloats(g, t.sumHessian());
    g.writeEndArray();
    g.writeObjectFieldStart("tree_param");
    g.writeStringField("num_deleted", Integer.toString(t.numDeleted()));
    g.writeStringField("num_feature", Integer.toString(t.numFeature()));
    g.writeStringField("num_nodes", Integer.toString(n));
    g.writeStringField("size_leaf_vector", Integer.toString(t.sizeLeafVector()));
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeLinear(JsonGenerator g, float[] weights) throws IOException {
    g.writeObjectFieldStart("model");
    // Not in the binary format; XGBoost 1.7.4 writes 0 for a model loaded from it.
    g.writeNumberField("boosted_rounds", 0);
    g.writeArrayFieldStart("weights");
    writeFloats(g, weights);
    g.writeEndArray();
    g.writeEndObject();
    g.writeStringField("name", "gblinear");
  }

  private static void writeFloats(JsonGenerator g, float[] values) throws IOException {
    for (float v : values) {
      g.writeNumber(floatText(v));
    }
  }

  /**
   * A float32 as JSON number text that parses back to the same float (Java's shortest unique digits); NaN and the
   * infinities as the bare words XGBoost's JSON reader accepts.
   */
  static String floatText(float v) {
    if (Float.isNaN(v)) {
      return "NaN";
    }
    if (Float.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    return Float.toString(v);
  }
}
