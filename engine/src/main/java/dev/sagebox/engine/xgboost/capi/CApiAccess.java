package dev.sagebox.engine.xgboost.capi;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The door to {@link XGBoostCApi}: it checks for the JDK module the foreign linker lives in before that class is
 * touched, so a JVM started without {@code --add-modules jdk.incubator.foreign} gets an empty answer and a reason
 * instead of a {@code NoClassDefFoundError}. Nothing here may refer to {@code jdk.incubator.foreign} types.
 */
public final class CApiAccess {
  /** The JDK module {@link XGBoostCApi} needs. */
  public static final String MODULE = "jdk.incubator.foreign";

  private CApiAccess() {}

  /** The C API, or empty with the reason given to {@code why}. */
  public static Optional<XGBoostCApi> open(Consumer<String> why) {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      why.accept("the JVM runs without --add-modules " + MODULE);
      return Optional.empty();
    }
    return XGBoostCApi.openLinked(why);
  }
}
