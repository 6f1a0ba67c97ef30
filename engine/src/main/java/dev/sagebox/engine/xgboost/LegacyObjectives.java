package dev.sagebox.engine.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The objective section of a model converted from XGBoost's legacy binary format, as XGBoost 1.7.4 writes it in
 * JSON: the objective's name and its parameter groups with their values.
 *
 * <p>Since 1.0 the binary file keeps the objective's configuration as JSON in the extra attribute
 * {@code "objective"} (e.g. {@code {"name":"reg:tweedie","tweedie_regression_param":
 * {"tweedie_variance_power":"1.3"}}}); XGBoost reads it back and drops the attribute. Before 1.0 only the name was
 * saved, plus count:poisson's {@code max_delta_step} as the attribute {@code count_poisson_max_delta_step}; the
 * other parameters then take their defaults. None of these parameters changes a prediction (they matter to
 * training only); what changes predictions is the name, which picks the output transformation and how base_score
 * becomes a margin.
 */
final class LegacyObjectives {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private LegacyObjectives() {}

  /** The name XGBoost 1.7 saves for an objective given at training (reg:linear is the old reg:squarederror). */
  static String canonicalName(String objective) {
    return "reg:linear".equals(objective) ? "reg:squarederror" : objective;
  }

  /**
   * The objective object for the JSON model: XGBoost 1.7.4's defaults for {@code objective}, with the values of
   * the same parameters taken from {@code saved} (the "objective" attribute, or null when the file has none).
   * An objective this table does not know keeps {@code saved} as it is (or just its name).
   */
  static ObjectNode config(String objective, JsonNode saved, int numClass) {
    String name = canonicalName(objective);
    ObjectNode out = defaults(name, numClass);
    if (out == null) {
      if (saved != null && saved.isObject()) {
        ObjectNode copy = ((ObjectNode) saved).deepCopy();
        copy.put("name", name);
        return copy;
      }
      ObjectNode bare = NODES.objectNode();
      bare.put("name", name);
      return bare;
    }
    if (saved != null && saved.isObject()) {
      for (Map.Entry<String, JsonNode> group : out.properties()) {
        JsonNode from = saved.get(group.getKey());
        if (!group.getValue().isObject() || from == null || !from.isObject()) {
          continue;
        }
        ObjectNode params = (ObjectNode) group.getValue();
        for (String key : params.properties().stream().map(Map.Entry::getKey).toList()) {
          JsonNode value = from.get(key);
          if (value != null && value.isValueNode()) {
            params.put(key, value.asText());
          }
        }
      }
    }
    return out;
  }

  /** Sets a parameter of the objective's parameter group, if the objective has that group. */
  static void set(ObjectNode config, String group, String key, String value) {
    JsonNode params = config.get(group);
    if (params instanceof ObjectNode o) {
      o.put(key, value);
    }
  }

  /** What XGBoost 1.7.4 writes for each objective with its default parameters; null for an unknown objective. */
  private static ObjectNode defaults(String name, int numClass) {
    ObjectNode o = NODES.objectNode();
    o.put("name", name);
    switch (name) {
      case "reg:squarederror", "reg:squaredlogerror", "reg:logistic", "binary:logistic", "binary:logitraw" ->
          o.putObject("reg_loss_param").put("scale_pos_weight", "1");
      case "reg:pseudohubererror" -> o.putObject("pseudo_huber_param").put("huber_slope", "1");
      case "reg:absoluteerror", "binary:hinge", "survival:cox", "reg:gamma" -> { }
      case "count:poisson" -> o.putObject("poisson_regression_param").put("max_delta_step", "0.699999988");
      case "reg:tweedie" -> o.putObject("tweedie_regression_param").put("tweedie_variance_power", "1.5");
      case "survival:aft" -> o.putObject("aft_loss_param").put("aft_loss_distribution", "normal")
          .put("aft_loss_distribution_scale", "1");
      case "multi:softmax", "multi:softprob" ->
          o.putObject("softmax_multiclass_param").put("num_class", Integer.toString(numClass));
      case "rank:pairwise", "rank:ndcg", "rank:map" ->
          o.putObject("lambda_rank_param").put("fix_list_weight", "0").put("num_pairsample", "1");
      default -> {
        return null;
      }
    }
    return o;
  }

  /**
   * Before 1.0 the file held base_score as a margin (after the objective's ProbToMargin); XGBoost 1.x turns it back
   * with the objective's prediction transformation, in float as XGBoost computes it. Multi-class objectives are
   * left alone, as XGBoost does.
   */
  static float baseScoreFromPre1Margin(String objective, float margin) {
    return switch (canonicalName(objective)) {
      case "binary:logistic", "reg:logistic" -> 1f / ((float) Math.exp(Math.min(-margin, 88.7f)) + 1f);
      case "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft" -> (float) Math.exp(margin);
      case "binary:hinge" -> margin > 0 ? 1f : 0f;
      default -> margin;
    };
  }
}
