package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimiser steps on ND4J: scores {@code Z = X·W} (bias folded into the GEMM through the column of ones), the loss
 * gradient written over {@code Z}, {@code X^T·G / rows} added by a second GEMM to the weight-decay term in the
 * preallocated gradient buffer, then the fused optimiser op ({@link Optimizer}). No array is allocated per step
 * for the logistic and squared losses.
 */
final class Nd4jSteps implements StepRunner {
  private final LinearParams p;
  private final INDArray w;
  private final Optimizer opt;
  private final INDArray gw;
  private INDArray zFull;
  private INDArray zLast;

  Nd4jSteps(LinearParams p, float[] init, int rows, int features, boolean bias, int batch) {
    this.p = p;
    int mk = init.length / rows;
    this.w = Nd4j.createFromArray(init).reshape(rows, mk);
    this.opt = new Optimizer(p, w, features, bias);
    this.gw = opt.gradientBuffer();
    this.zFull = Nd4j.createUninitialized(DataType.FLOAT, batch, mk);
  }

  @Override
  public void step(DesignMatrix data, int b) {
    int rows = data.rowsIn(b);
    INDArray z = zFull;
    if (rows != zFull.rows()) {
      if (rows == data.batchSize()) {
        zFull = Nd4j.createUninitialized(DataType.FLOAT, rows, w.columns());
        z = zFull;
      } else {
        if (zLast == null || zLast.rows() != rows) {
          zLast = Nd4j.createUninitialized(DataType.FLOAT, rows, w.columns());
        }
        z = zLast;
      }
    }
    INDArray xb = data.batchX(b);
    Nd4j.gemm(xb, w, z, false, false, 1.0, 0.0);
    INDArray labels = data.batchY(b);
    INDArray target = p.type() == PredictorType.MULTICLASS ? Losses.oneHot(labels, p.models(), p.outputs())
        : labels;
    INDArray g = Losses.gradientInPlace(p, z, target);
    INDArray rowWeights = data.batchWeights(b);
    if (rowWeights != null) {
      g.muliColumnVector(rowWeights);
    }
    Nd4j.gemm(xb, g, gw, true, false, 1.0 / rows, opt.startGradient());
    opt.step();
  }

  @Override
  public void decay(double factor, double minimum) {
    opt.decay(factor, minimum);
  }

  @Override
  public INDArray weights() {
    return w;
  }

  @Override
  public float[] weightValues() {
    return w.dup('c').data().asFloat();
  }

  @Override
  public void setWeightValues(float[] values) {
    w.assign(org.nd4j.linalg.factory.Nd4j.create(values, w.shape(), 'c'));
  }
}
