package dev.sagebox.engine.params;

import java.util.List;

/**
 * One declared hyperparameter: its name and aliases, its type, its default ({@code null}: none), whether it is
 * required, and what happens to it.
 */
public record ParamSpec<T>(String name, List<String> aliases, ParamType<T> type, T defaultValue, boolean required,
    Use use, String note) {

  /** What a given value is used for. */
  public enum Use {
    /** Passed on to the underlying library. */
    NATIVE,
    /** Read by Sagebox itself (num_round, early stopping, ...). */
    SAGEBOX,
    /** Still sent by SageMaker users but removed from the library: accepted, checked, ignored with a warning. */
    DEPRECATED,
    /** Valid, but not implemented by Sagebox yet: accepted only at its default. */
    NOT_IMPLEMENTED
  }

  public ParamSpec {
    aliases = List.copyOf(aliases);
  }

  /**
   * The name's hash (equal specs have equal names). Specs are map keys on every configuration's parse; a record's
   * generated hashCode is linked at its first call by generating method-handle classes (~20 at start-up here).
   */
  @Override
  public int hashCode() {
    return name.hashCode();
  }

  public static <T> ParamSpec<T> of(String name, ParamType<T> type, T defaultValue, Use use) {
    return new ParamSpec<>(name, List.of(), type, defaultValue, false, use, "");
  }

  public ParamSpec<T> alias(String... names) {
    return new ParamSpec<>(name, List.of(names), type, defaultValue, required, use, note);
  }

  public ParamSpec<T> requiredParam() {
    return new ParamSpec<>(name, aliases, type, defaultValue, true, use, note);
  }

  public ParamSpec<T> note(String text) {
    return new ParamSpec<>(name, aliases, type, defaultValue, required, use, text);
  }
}
