package dev.sagebox.engine.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer for a batch: named output columns in order. {@code selected} is true when the caller chose the outputs
 * (SageMaker's selectable-output mode), which changes how CSV writes list values.
 */
public record Predictions(int rows, Map<String, Column> columns, boolean selected) {

  public Predictions {
    for (Map.Entry<String, Column> e : columns.entrySet()) {
      if (e.getValue().rows() != rows) {
        throw new IllegalArgumentException("column " + e.getKey() + " has " + e.getValue().rows() + " rows, not "
            + rows);
      }
    }
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  public List<String> keys() {
    return List.copyOf(columns.keySet());
  }
}
