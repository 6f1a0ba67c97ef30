package dev.sagebox.engine.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Typed hyperparameter values, looked up by their spec; only values actually given are "present". */
public final class ParsedParams {
  private final Map<ParamSpec<?>, Object> given;
  private final Map<String, String> raw;

  ParsedParams(Map<ParamSpec<?>, Object> given, Map<String, String> raw) {
    this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    this.raw = Map.copyOf(raw);
  }

  /** The value given, or the spec's default (which may be {@code null}). */
  @SuppressWarnings("unchecked")
  public <T> T get(ParamSpec<T> spec) {
    Object v = given.get(spec);
    return v != null ? (T) v : spec.defaultValue();
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> given(ParamSpec<T> spec) {
    return Optional.ofNullable((T) given.get(spec));
  }

  public boolean isGiven(ParamSpec<?> spec) {
    return given.containsKey(spec);
  }

  /** Every spec that was given, with its value, in declaration order. */
  public Map<ParamSpec<?>, Object> all() {
    return given;
  }

  /** The raw string the user sent for this spec (under whichever name), for messages. */
  public String rawOf(ParamSpec<?> spec) {
    return raw.get(spec.name());
  }
}
