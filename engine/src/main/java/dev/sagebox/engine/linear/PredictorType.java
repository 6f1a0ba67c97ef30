package dev.sagebox.engine.linear;

/** The three tasks of the linear learner, by SageMaker's names. */
public enum PredictorType {
  BINARY("binary_classifier"), MULTICLASS("multiclass_classifier"), REGRESSOR("regressor");

  private final String wireName;

  PredictorType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static PredictorType of(String name) {
    for (PredictorType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
