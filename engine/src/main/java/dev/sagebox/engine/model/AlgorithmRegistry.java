package dev.sagebox.engine.model;

import dev.sagebox.engine.error.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The algorithms this build offers, by name. Built once by the caller; no global state. */
public final class AlgorithmRegistry {
  private final Map<String, Algorithm> byName = new LinkedHashMap<>();

  public AlgorithmRegistry(List<Algorithm> algorithms) {
    for (Algorithm a : algorithms) {
      byName.put(a.name(), a);
    }
  }

  public Algorithm get(String name) {
    Algorithm a = byName.get(name);
    if (a == null) {
      throw new UserError("unknown algorithm '" + name + "'; available: " + String.join(", ", names()));
    }
    return a;
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
