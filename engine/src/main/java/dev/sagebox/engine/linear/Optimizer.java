package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SGD with momentum, Adam and RMSprop, applied to all models' weights at once with per-model learning rates. Adam
 * and RMSprop use ND4J's fused updater ops at a learning rate of 1 (one native call for the whole state), then
 * scale each model's columns by its own learning rate.
 */
final class Optimizer {
  private static final double EPS = 1e-8;
  private final LinearParams p;
  private final INDArray w;
  private final INDArray b;
  private final INDArray lrRow;
  private final INDArray wdRow;
  private final INDArray mw;
  private final INDArray mb;
  private final INDArray vw;
  private final INDArray vb;
  private final GradientUpdater fusedW;
  private final GradientUpdater fusedB;
  private final boolean anyWeightDecay;
  private long t;

  Optimizer(LinearParams p, INDArray w, INDArray b, INDArray lrRow, INDArray wdRow) {
    this.p = p;
    this.w = w;
    this.b = b;
    this.lrRow = lrRow;
    this.wdRow = wdRow;
    this.mw = Nd4j.zerosLike(w);
    this.mb = Nd4j.zerosLike(b);
    this.vw = Nd4j.zerosLike(w);
    this.vb = Nd4j.zerosLike(b);
    IUpdater fused = switch (p.optimizer()) {
      case "adam" -> new Adam(1.0, p.beta1(), p.beta2(), EPS);
      case "rmsprop" -> new RmsProp(1.0, 0.9, EPS);
      default -> null;
    };
    this.fusedW = fused == null ? null : fused.instantiate(Nd4j.zeros(DataType.FLOAT, 1,
        fused.stateSize(w.length())), true);
    this.fusedB = fused == null ? null : fused.instantiate(Nd4j.zeros(DataType.FLOAT, 1,
        fused.stateSize(b.length())), true);
    this.anyWeightDecay = wdRow.maxNumber().doubleValue() > 0;
  }

  void step(INDArray gw, INDArray gb) {
    if (anyWeightDecay) {
      gw.addi(w.mulRowVector(wdRow));
    }
    if (p.l1() > 0) {
      gw.addi(Transforms.sign(w, true).muli(p.l1()));
    }
    if (p.biasWdMult() > 0) {
      gb.addi(b.mul(wdRow).muli(p.biasWdMult()));
    }
    INDArray lrB = p.useBias() ? lrRow.mul(p.biasLrMult()) : null;
    t++;
    if (fusedW != null) {
      fusedW.applyUpdater(gw.reshape(1, gw.length()), (int) t - 1, 0);
      w.subi(gw.muliRowVector(lrRow));
      if (lrB != null) {
        fusedB.applyUpdater(gb.reshape(1, gb.length()), (int) t - 1, 0);
        b.subi(gb.muli(lrB));
      }
      return;
    }
    switch (p.optimizer()) {
      case "sgd" -> {
        mw.muli(p.momentum()).subi(gw.mulRowVector(lrRow));
        w.addi(mw);
        if (lrB != null) {
          mb.muli(p.momentum()).subi(gb.mul(lrB));
          b.addi(mb);
        }
      }
      case "rmsprop" -> {
        double rho = 0.9;
        vw.muli(rho).addi(gw.mul(gw).muli(1 - rho));
        w.subi(gw.div(Transforms.sqrt(vw, true).addi(EPS)).muliRowVector(lrRow));
        if (lrB != null) {
          vb.muli(rho).addi(gb.mul(gb).muli(1 - rho));
          b.subi(gb.div(Transforms.sqrt(vb, true).addi(EPS)).muli(lrB));
        }
      }
      default -> {
        double b1 = p.beta1();
        double b2 = p.beta2();
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        mw.muli(b1).addi(gw.mul(1 - b1));
        vw.muli(b2).addi(gw.mul(gw).muli(1 - b2));
        w.subi(mw.div(c1).divi(Transforms.sqrt(vw.div(c2), false).addi(EPS)).muliRowVector(lrRow));
        if (lrB != null) {
          mb.muli(b1).addi(gb.mul(1 - b1));
          vb.muli(b2).addi(gb.mul(gb).muli(1 - b2));
          b.subi(mb.div(c1).divi(Transforms.sqrt(vb.div(c2), false).addi(EPS)).muli(lrB));
        }
      }
    }
  }

  /** Multiplies every learning rate by {@code factor}, not below {@code minimum}. */
  void decay(double factor, double minimum) {
    lrRow.muli(factor);
    Transforms.max(lrRow, minimum, false);
  }
}
