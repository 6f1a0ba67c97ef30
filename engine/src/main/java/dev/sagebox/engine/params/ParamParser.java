package dev.sagebox.engine.params;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the string map of {@code hyperparameters.json} into typed values against a declared list of specs. Unknown
 * names are errors (with the closest known names suggested), aliases map to their canonical name, deprecated names
 * produce a warning, and values of features Sagebox has not implemented are refused unless they equal the default.
 */
public final class ParamParser {
  private final String algorithm;
  private final List<ParamSpec<?>> specs;
  private final Map<String, ParamSpec<?>> byName = new HashMap<>();

  public ParamParser(String algorithm, List<ParamSpec<?>> specs) {
    this.algorithm = algorithm;
    this.specs = List.copyOf(specs);
    for (ParamSpec<?> s : specs) {
      byName.put(s.name(), s);
      for (String a : s.aliases()) {
        byName.put(a, s);
      }
    }
  }

  /**
   * @param raw name to value, values already JSON-decoded to plain strings
   * @param warnings receives one readable line per accepted-but-ignored value
   */
  public ParsedParams parse(Map<String, String> raw, Consumer<String> warnings) {
    Map<ParamSpec<?>, Object> values = new LinkedHashMap<>();
    Map<String, String> rawByCanonical = new HashMap<>();
    Map<ParamSpec<?>, String> nameUsed = new HashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      ParamSpec<?> spec = byName.get(key);
      if (spec == null) {
        throw new HyperparameterError(key, "is not a hyperparameter of " + algorithm + suggest(key)
            + " (value '" + e.getValue() + "')");
      }
      String previous = nameUsed.put(spec, key);
      if (previous != null) {
        throw new HyperparameterError(spec.name(), "given twice, as '" + previous + "' and '" + key
            + "'; give it once");
      }
      Object value;
      try {
        value = spec.type().parse(e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new HyperparameterError(key, "value '" + e.getValue() + "' is invalid: " + ex.getMessage());
      }
      switch (spec.use()) {
        case DEPRECATED -> warnings.accept("hyperparameter '" + key + "' is deprecated and has no effect"
            + (spec.note().isEmpty() ? "" : ": " + spec.note()) + "; ignored");
        case NOT_IMPLEMENTED -> {
          if (!value.equals(spec.defaultValue())) {
            throw new HyperparameterError(key, "value '" + e.getValue() + "' is valid but not supported by Sagebox"
                + " yet" + (spec.note().isEmpty() ? "" : " (" + spec.note() + ")")
                + (spec.defaultValue() == null ? "" : "; only '" + spec.defaultValue() + "' is"));
          }
        }
        default -> { }
      }
      values.put(spec, value);
      rawByCanonical.put(spec.name(), e.getValue());
    }
    for (ParamSpec<?> s : specs) {
      if (s.required() && !values.containsKey(s)) {
        throw new HyperparameterError(s.name(), "is required (" + s.type().describe() + ")");
      }
    }
    return new ParsedParams(values, rawByCanonical);
  }

  public List<ParamSpec<?>> specs() {
    return specs;
  }

  private String suggest(String key) {
    List<String> close = new ArrayList<>();
    byName.keySet().stream()
        .sorted(Comparator.comparingInt((String n) -> distance(key, n)).thenComparing(n -> n))
        .filter(n -> distance(key, n) <= Math.max(2, key.length() / 3))
        .limit(3)
        .forEach(close::add);
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
