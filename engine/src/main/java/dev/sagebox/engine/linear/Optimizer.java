package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SGD with momentum, Adam and RMSprop over all models' weights at once: {@code W} is [features (+1 bias row), M*k],
 * one column per model output, the bias (when used) in the last row. Each model has its own learning rate and
 * weight decay; the bias row takes them times {@code bias_lr_mult} and {@code bias_wd_mult}. Adam and RMSprop are
 * ND4J's fused updater ops (one native call for the whole state). Nothing is allocated per step: when every
 * element has the same learning rate (one model, or models that differ only in weight decay) the fused op applies
 * it itself, otherwise the step is scaled by a per-element learning-rate matrix.
 */
final class Optimizer {
  private static final double EPS = 1e-8;
  private final LinearParams p;
  private final INDArray w;
  private final int features;
  private final boolean biasRow;
  private final int k;
  private final float[] lr;
  private final INDArray lrMatrix;
  private final INDArray wdMatrix;
  private final INDArray velocity;
  private final IUpdater fusedConfig;
  private final GradientUpdater fused;
  private final INDArray wFeatures;
  private INDArray gradient;
  private INDArray gradientFlat;
  private INDArray gradientFeatures;
  private boolean uniform;
  private long t;

  /**
   * @param w the weights, updated in place
   * @param features the feature rows of {@code w}; a bias row follows them when {@code biasRow}
   */
  Optimizer(LinearParams p, INDArray w, int features, boolean biasRow) {
    this.p = p;
    this.w = w;
    this.features = features;
    this.biasRow = biasRow;
    this.k = p.outputs();
    int mk = (int) w.columns();
    lr = new float[mk];
    float[] wd = new float[mk];
    for (int c = 0; c < mk; c++) {
      lr[c] = (float) p.learningRates()[c / k];
      wd[c] = (float) p.weightDecays()[c / k];
    }
    lrMatrix = Nd4j.zeros(DataType.FLOAT, w.rows(), mk);
    boolean anyWd = false;
    for (float v : wd) {
      anyWd |= v > 0;
    }
    wdMatrix = anyWd ? perElement(wd, p.biasWdMult()) : null;
    fusedConfig = switch (p.optimizer()) {
      case "adam" -> new Adam(1.0, p.beta1(), p.beta2(), EPS);
      case "rmsprop" -> new RmsProp(1.0, 0.9, EPS);
      default -> null;
    };
    fused = fusedConfig == null ? null : fusedConfig.instantiate(Nd4j.zeros(DataType.FLOAT, 1,
        fusedConfig.stateSize(w.length())), true);
    velocity = fusedConfig == null && p.momentum() != 0 ? Nd4j.zerosLike(w) : null;
    wFeatures = biasRow ? w.get(NDArrayIndex.interval(0, features), NDArrayIndex.all()) : w;
    learningRatesChanged();
  }

  /** The gradient buffer, [rows of W, M*k], that {@link #step} reads; allocated once. */
  INDArray gradientBuffer() {
    if (gradient == null) {
      gradient = Nd4j.createUninitialized(DataType.FLOAT, w.rows(), w.columns());
      gradientFlat = gradient.reshape(1, gradient.length());
      gradientFeatures = biasRow ? gradient.get(NDArrayIndex.interval(0, features), NDArrayIndex.all()) : gradient;
    }
    return gradient;
  }

  /**
   * Starts the gradient buffer at the weight-decay term {@code W * wd} and returns 1, or leaves it and returns 0 when
   * no model has weight decay: the beta with which the data gradient is to be added to the buffer.
   */
  double startGradient() {
    if (wdMatrix == null) {
      return 0;
    }
    w.mul(wdMatrix, gradientBuffer());
    return 1;
  }

  /** One update from the gradient in {@link #gradientBuffer()} (loss gradient plus weight decay); it is consumed. */
  void step() {
    INDArray g = gradientBuffer();
    if (p.l1() > 0) {
      gradientFeatures.addi(Transforms.sign(wFeatures, true).muli(p.l1()));
    }
    t++;
    if (fused != null) {
      fused.applyUpdater(gradientFlat, (int) t - 1, 0);
      if (!uniform) {
        g.muli(lrMatrix);
      }
      w.subi(g);
      return;
    }
    if (uniform) {
      g.muli(lr[0]);
    } else {
      g.muli(lrMatrix);
    }
    if (velocity == null) {
      w.subi(g);
    } else {
      velocity.muli(p.momentum()).subi(g);
      w.addi(velocity);
    }
  }

  /** Multiplies every learning rate by {@code factor}, not below {@code minimum}. */
  void decay(double factor, double minimum) {
    for (int c = 0; c < lr.length; c++) {
      lr[c] = Math.max((float) (lr[c] * factor), (float) minimum);
    }
    learningRatesChanged();
  }

  private void learningRatesChanged() {
    float first = lr[0];
    boolean same = true;
    for (float v : lr) {
      same &= v == first;
    }
    uniform = same && (!biasRow || p.biasLrMult() == 1);
    if (uniform && fusedConfig != null) {
      setLearningRate(fusedConfig, first);
    } else if (!uniform) {
      lrMatrix.assign(perElement(lr, p.biasLrMult()));
      if (fusedConfig != null) {
        setLearningRate(fusedConfig, 1.0);
      }
    }
  }

  private static void setLearningRate(IUpdater config, double value) {
    if (config instanceof Adam a) {
      a.setLearningRate(value);
    } else if (config instanceof RmsProp r) {
      r.setLearningRate(value);
    }
  }

  /** A [rows of W, M*k] matrix: {@code perColumn} in every feature row, times {@code biasMult} in the bias row. */
  private INDArray perElement(float[] perColumn, double biasMult) {
    int rows = (int) w.rows();
    int mk = perColumn.length;
    float[] all = new float[rows * mk];
    for (int r = 0; r < rows; r++) {
      boolean bias = biasRow && r == features;
      for (int c = 0; c < mk; c++) {
        all[r * mk + c] = bias ? (float) (perColumn[c] * biasMult) : perColumn[c];
      }
    }
    return Nd4j.createFromArray(all).reshape(rows, mk);
  }
}
