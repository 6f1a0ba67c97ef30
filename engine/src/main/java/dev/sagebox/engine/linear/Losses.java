package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loss values and gradients for {@code M} models at once, on ND4J arrays. {@code z} is [b, M*k]; {@code y} is the
 * label column [b, 1] (or, for softmax, the one-hot labels tiled over the models [b, M*k]).
 */
final class Losses {
  private Losses() {}

  /** Returns dLoss/dz, shape of {@code z}. */
  static INDArray gradient(LinearParams p, INDArray z, INDArray y) {
    switch (p.loss()) {
      case "logistic" -> {
        return Transforms.sigmoid(z, true).subiColumnVector(y);
      }
      case "hinge_loss" -> {
        INDArray s = y.mul(2).subi(1);
        INDArray active = z.mulColumnVector(s).lt(p.margin()).castTo(DataType.FLOAT);
        return active.muliColumnVector(s).negi();
      }
      case "softmax_loss" -> {
        return softmax(z, p.models(), p.outputs()).subi(y);
      }
      default -> {
        INDArray r = z.subColumnVector(y);
        return switch (p.loss()) {
          case "absolute_loss" -> Transforms.sign(r, false);
          case "huber_loss" -> Transforms.min(Transforms.max(r, -p.huberDelta(), false), p.huberDelta(), false);
          case "quantile_loss" -> r.gt(0).castTo(DataType.FLOAT).subi(p.quantile());
          case "eps_insensitive_squared_loss" -> {
            INDArray a = Transforms.abs(r, true).subi(p.insensitivity());
            yield Transforms.max(a, 0, false).muli(Transforms.sign(r, false));
          }
          case "eps_insensitive_absolute_loss" -> Transforms.abs(r, true).gt(p.insensitivity())
              .castTo(DataType.FLOAT).muli(Transforms.sign(r, false));
          default -> r;
        };
      }
    }
  }

  /** Loss per row and model: [b, M]. */
  static INDArray value(LinearParams p, INDArray z, INDArray y) {
    int m = p.models();
    switch (p.loss()) {
      case "logistic" -> {
        return Transforms.softPlus(z, true).subi(z.mulColumnVector(y));
      }
      case "hinge_loss" -> {
        INDArray s = y.mul(2).subi(1);
        return Transforms.max(z.mulColumnVector(s).rsubi(p.margin()), 0, false);
      }
      case "softmax_loss" -> {
        INDArray probs = softmax(z, m, p.outputs());
        INDArray picked = Transforms.log(Transforms.max(probs, 1e-12, false), false).muli(y);
        return picked.reshape(z.rows(), m, p.outputs()).sum(2).negi().reshape(z.rows(), m);
      }
      default -> {
        INDArray r = z.subColumnVector(y);
        INDArray a = Transforms.abs(r, true);
        return switch (p.loss()) {
          case "absolute_loss" -> a;
          case "huber_loss" -> {
            double d = p.huberDelta();
            INDArray small = a.lte(d).castTo(DataType.FLOAT);
            INDArray quad = r.mul(r).muli(0.5);
            INDArray lin = a.sub(d / 2).muli(d);
            yield quad.muli(small).addi(lin.muli(small.rsub(1)));
          }
          case "quantile_loss" -> {
            double t = p.quantile();
            INDArray pos = r.gt(0).castTo(DataType.FLOAT);
            yield r.mul(pos.mul(1 - t).subi(pos.rsub(1).muli(t)));
          }
          case "eps_insensitive_squared_loss" -> {
            INDArray e = Transforms.max(a.subi(p.insensitivity()), 0, false);
            yield e.muli(e).muli(0.5);
          }
          case "eps_insensitive_absolute_loss" -> Transforms.max(a.subi(p.insensitivity()), 0, false);
          default -> r.mul(r).muli(0.5);
        };
      }
    }
  }

  /** Softmax over each model's k outputs: z [b, M*k] to probabilities [b, M*k]. */
  static INDArray softmax(INDArray z, int models, int k) {
    long b = z.rows();
    INDArray r = z.reshape(b, models, k);
    INDArray max = r.max(true, 2);
    INDArray e = Transforms.exp(r.sub(max.broadcast(b, models, k)), false);
    INDArray sum = e.sum(true, 2);
    return e.divi(sum.broadcast(b, models, k)).reshape(b, (long) models * k);
  }
}
