package dev.sagebox.engine.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loss values and gradients for {@code M} models at once, on ND4J arrays. {@code z} is [b, M*k]; {@code y} is the
 * label column [b, 1] (or, for softmax, the one-hot labels tiled over the models [b, M*k]).
 */
final class Losses {
  private Losses() {}

  /**
   * dLoss/dz written over {@code z} where the loss allows it (logistic: {@code sigmoid(z) - y}, squared:
   * {@code z - y}; one or two native calls, nothing allocated); the other losses return a new array.
   */
  static INDArray gradientInPlace(LinearParams p, INDArray z, INDArray y) {
    return switch (p.loss()) {
      case "logistic" -> Transforms.sigmoid(z, false).subiColumnVector(y);
      case "squared_loss" -> z.subiColumnVector(y);
      default -> gradient(p, z, y);
    };
  }

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

  /**
   * dLoss/dz in plain Java, written over {@code z} ([n, M*k] row-major) for rows {@code from .. from+n-1} of
   * {@code labels}: the same formulas as {@link #gradient(LinearParams, INDArray, INDArray)}.
   */
  static void gradient(LinearParams p, float[] z, int n, float[] labels, int from) {
    int models = p.models();
    int k = p.outputs();
    int mk = models * k;
    switch (p.loss()) {
      case "logistic" -> {
        for (int i = 0; i < n; i++) {
          float y = labels[from + i];
          for (int c = i * mk, end = c + mk; c < end; c++) {
            z[c] = 1f / (1f + (float) Math.exp(-z[c])) - y;
          }
        }
      }
      case "hinge_loss" -> {
        float margin = (float) p.margin();
        for (int i = 0; i < n; i++) {
          float s = labels[from + i] * 2 - 1;
          for (int c = i * mk, end = c + mk; c < end; c++) {
            z[c] = z[c] * s < margin ? -s : 0f;
          }
        }
      }
      case "softmax_loss" -> {
        for (int i = 0; i < n; i++) {
          int label = (int) labels[from + i];
          for (int g = i * mk, end = g + mk; g < end; g += k) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
              max = Math.max(max, z[g + c]);
            }
            float sum = 0;
            for (int c = 0; c < k; c++) {
              float e = (float) Math.exp(z[g + c] - max);
              z[g + c] = e;
              sum += e;
            }
            for (int c = 0; c < k; c++) {
              z[g + c] = z[g + c] / sum - (c == label ? 1f : 0f);
            }
          }
        }
      }
      default -> {
        float delta = (float) p.huberDelta();
        float tau = (float) p.quantile();
        float eps = (float) p.insensitivity();
        String loss = p.loss();
        for (int i = 0; i < n; i++) {
          float y = labels[from + i];
          for (int c = i * mk, end = c + mk; c < end; c++) {
            float r = z[c] - y;
            z[c] = switch (loss) {
              case "absolute_loss" -> Math.signum(r);
              case "huber_loss" -> Math.min(Math.max(r, -delta), delta);
              case "quantile_loss" -> (r > 0 ? 1f : 0f) - tau;
              case "eps_insensitive_squared_loss" -> Math.max(Math.abs(r) - eps, 0f) * Math.signum(r);
              case "eps_insensitive_absolute_loss" -> Math.abs(r) > eps ? Math.signum(r) : 0f;
              default -> r;
            };
          }
        }
      }
    }
  }

  /** Class-index labels [b, 1] as one-hot rows tiled over the models: [b, M*k]. */
  static INDArray oneHot(INDArray labels, int models, int k) {
    long n = labels.rows();
    float[] y = labels.dup('c').data().asFloat();
    float[] hot = new float[(int) (n * k)];
    for (int i = 0; i < n; i++) {
      hot[i * k + (int) y[i]] = 1f;
    }
    INDArray one = Nd4j.createFromArray(hot).reshape(n, k);
    return models == 1 ? one : Nd4j.tile(one, 1, models);
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
