package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimiser steps of {@link LinearTrainer}: all models' weights {@code W} [features (+1 bias row), M*k] updated
 * from one mini-batch at a time. Two implementations with the same arithmetic, chosen by the width of {@code W}:
 * <ul>
 *   <li>{@link Nd4jSteps}: two ND4J GEMMs into preallocated buffers, the loss gradient and the fused optimiser op;
 *       about six native calls a step, whatever the width;</li>
 *   <li>{@link JavaSteps}: the same loops in plain Java over heap arrays. For a narrow {@code W} (one model: a
 *       [1000, 29] x [29, 1] product) the whole step is a few tens of thousands of multiply-adds, cheaper in Java
 *       than the fixed cost of the native calls (measured in benchmarks/RESULTS.md, issue 13 part 5).</li>
 * </ul>
 */
sealed interface StepRunner permits Nd4jSteps, JavaSteps {
  /**
   * Widths of {@code W} (models times outputs) up to this train in Java; wider ones on ND4J. Measured with
   * LinearStepTiming (benchmarks/RESULTS.md): with ND4J on one thread, the GEMMs overtake the Java loops between
   * 8 and 16 columns; with two threads on a busy machine ND4J's steps cost milliseconds at any width.
   */
  int JAVA_MAX_COLUMNS = 16;

  /** One optimiser step on mini-batch {@code b} of {@code data}. */
  void step(DesignMatrix data, int b);

  /** Multiplies every learning rate by {@code factor}, not below {@code minimum}. */
  void decay(double factor, double minimum);

  /** The current weights [rows of W, M*k] on ND4J: the live array, or a copy taken now. */
  INDArray weights();

  /** A copy of the weights in this runner's own layout (for averaging over hosts). */
  float[] weightValues();

  /** Replaces the weights with {@code values}, in the layout of {@link #weightValues()}. */
  void setWeightValues(float[] values);

  /**
   * @param init the initial weights, row-major [rows, M*k]; the bias row (when {@code bias}) last
   * @param features the number of feature rows
   */
  static StepRunner create(LinearParams p, float[] init, int rows, int features, boolean bias, int batch) {
    int width = init.length / rows;
    return width <= JAVA_MAX_COLUMNS ? new JavaSteps(p, init, rows, features, bias, batch)
        : new Nd4jSteps(p, init, rows, features, bias, batch);
  }
}
