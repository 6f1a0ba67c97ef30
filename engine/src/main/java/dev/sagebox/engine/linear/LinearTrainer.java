package dev.sagebox.engine.linear;

import dev.sagebox.engine.model.QualityMetric;
import dev.sagebox.engine.model.TrainingListener;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import dev.sagebox.engine.data.Shuffle;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mini-batch training of {@code M} linear models at once on ND4J: the weights of all models are the columns of one
 * [d, M*k] matrix, so each step is two matrix products whatever M is; each model has its own learning rate and
 * weight decay (row vectors broadcast over the columns). The same code runs on ND4J's CUDA backend.
 */
final class LinearTrainer {
  private final LinearParams p;
  private final TrainingListener log;
  private final String host;

  LinearTrainer(LinearParams p, TrainingListener log, String host) {
    this.p = p;
    this.log = log;
    this.host = host;
  }

  /** Dense rows (row-major, NaN = missing) with labels and optional weights. */
  record Rows(float[] x, int n, int d, float[] y, float[] w) {}

  record Result(LinearModel model, int modelIndex, int epochs) {}

  Result train(Rows train, Rows validation, BooleanSupplier stop) {
    return train(train, null, validation, stop);
  }

  /**
   * @param first the training rows of epoch 0 (the scalers are fitted on them)
   * @param nextEpochs the rows of epoch 1, 2, ... in Pipe mode (each epoch streamed anew), or {@code null} to train
   *     every epoch on {@code first}
   */
  Result train(Rows first, java.util.function.IntFunction<Rows> nextEpochs, Rows validation, BooleanSupplier stop) {
    Rows train = first;
    int d = train.d();
    int m = p.models();
    int k = p.outputs();
    int mk = m * k;
    Random random = new Random(p.seed());

    int[] perm = Shuffle.permutation(train.n(), random);
    float[] rowsInOrder = shuffled(train, perm);
    Scaler scaler = p.normalizeData()
        ? Scaler.fit(rowsInOrder, train.n(), d, p.numPointForScaler(), p.unbiasData(), true)
        : Scaler.identity(d);
    float labelMean = 0f;
    float labelScale = 1f;
    if (p.normalizeLabel()) {
      double s = 0;
      double sq = 0;
      int n = Math.min(train.n(), p.numPointForScaler());
      for (int i = 0; i < n; i++) {
        float v = train.y()[perm[i]];
        s += v;
        sq += (double) v * v;
      }
      // unbias_label=false scales without centring: the scale is then the root mean square.
      labelMean = p.unbiasLabel() ? (float) (s / n) : 0f;
      double centre = labelMean;
      labelScale = (float) Math.max(1e-12, Math.sqrt(Math.max(0, sq / n - 2 * centre * (s / n) + centre * centre)));
    }
    INDArray x = features(rowsInOrder, train, scaler);
    INDArray y = labels(train, perm, labelMean, labelScale);
    INDArray sw = weights(train, perm);
    rowsInOrder = null;
    INDArray xv = validation == null ? null
        : features(Arrays.copyOf(validation.x(), validation.n() * validation.d()), validation, scaler);
    INDArray yv = validation == null ? null : labels(validation, null, labelMean, labelScale);

    // Initial weights from our own seeded generator: reproducible whatever ND4J's global random state is.
    float[] init = new float[d * mk];
    for (int i = 0; i < init.length; i++) {
      init[i] = (float) (p.normalInit() ? random.nextGaussian() * p.initSigma()
          : (random.nextDouble() * 2 - 1) * p.initScale());
    }
    INDArray w = Nd4j.createFromArray(init).reshape(d, mk);
    INDArray b = Nd4j.zeros(DataType.FLOAT, 1, mk).addi(p.useBias() ? p.initBias() : 0);
    float[] lr = new float[mk];
    float[] wd = new float[mk];
    for (int i = 0; i < mk; i++) {
      lr[i] = (float) p.learningRates()[i / k];
      wd[i] = (float) p.weightDecays()[i / k];
    }
    INDArray lrRow = Nd4j.createFromArray(lr).reshape(1, mk);
    INDArray wdRow = Nd4j.createFromArray(wd).reshape(1, mk);
    Optimizer opt = new Optimizer(p, w, b, lrRow, wdRow);

    int batch = Math.min(p.miniBatchSize(), train.n());
    int batches = (train.n() + batch - 1) / batch;
    int lrStep = p.lrStep() != null ? p.lrStep() : batches;
    INDArray bestW = w.dup();
    INDArray bestB = b.dup();
    double[] bestLoss = new double[m];
    Arrays.fill(bestLoss, Double.POSITIVE_INFINITY);
    double bestOverall = Double.POSITIVE_INFINITY;
    int sinceImprovement = 0;
    int epoch = 0;
    long step = 0;
    for (; epoch < p.epochs() && !stop.getAsBoolean(); epoch++) {
      long t0 = System.nanoTime();
      if (epoch > 0 && nextEpochs != null) {
        train = nextEpochs.apply(epoch);
        if (train.d() != d) {
          throw new dev.sagebox.engine.error.UserError("epoch " + epoch + " of channel 'train' has " + train.d()
              + " features; epoch 0 had " + d);
        }
        int[] epochPerm = Shuffle.permutation(train.n(), random);
        x = features(shuffled(train, epochPerm), train, scaler);
        y = labels(train, epochPerm, labelMean, labelScale);
        sw = weights(train, epochPerm);
        batch = Math.min(p.miniBatchSize(), train.n());
        batches = (train.n() + batch - 1) / batch;
      }
      int[] order = Shuffle.permutation(batches, random);
      for (int bi : order) {
        int from = bi * batch;
        int to = Math.min(train.n(), from + batch);
        INDArray xb = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        INDArray yb = y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        INDArray z = xb.mmul(w).addiRowVector(b);
        INDArray target = p.type() == PredictorType.MULTICLASS ? oneHot(yb, m, k) : yb;
        INDArray g = Losses.gradient(p, z, target);
        if (sw != null) {
          g.muliColumnVector(sw.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
        int rows = to - from;
        INDArray gw = xb.transpose().mmul(g).divi(rows);
        INDArray gb = g.sum(true, 0).divi(rows);
        opt.step(gw, gb);
        step++;
        if (p.useLrScheduler() && step % lrStep == 0) {
          opt.decay(p.lrFactor(), p.lrMinimum());
        }
      }
      // Epoch end: per-model losses on a training sample and on validation.
      INDArray trainLoss = meanLoss(x.get(NDArrayIndex.interval(0, Math.min(train.n(), 20_000)),
          NDArrayIndex.all()), y.get(NDArrayIndex.interval(0, Math.min(train.n(), 20_000)), NDArrayIndex.all()),
          w, b);
      INDArray watched = xv != null ? meanLoss(xv, yv, w, b) : trainLoss;
      double[] losses = watched.toDoubleVector();
      float[] improved = new float[mk];
      for (int i = 0; i < m; i++) {
        if (losses[i] < bestLoss[i]) {
          bestLoss[i] = losses[i];
          Arrays.fill(improved, i * k, (i + 1) * k, 1f);
        }
      }
      INDArray mask = Nd4j.createFromArray(improved).reshape(1, mk);
      bestW.muliRowVector(mask.rsub(1)).addi(w.mulRowVector(mask));
      bestB.muli(mask.rsub(1)).addi(b.mul(mask));
      int leader = argmin(losses);
      double[] tl = trainLoss.toDoubleVector();
      metric(epoch, "train", "objective_loss", tl[leader]);
      if (xv != null) {
        metric(epoch, "validation", "objective_loss", losses[leader]);
        logTaskMetrics(epoch, "validation", xv, validation, w, b, leader, labelMean, labelScale);
      }
      log.info(String.format(Locale.ROOT, "epoch %d done in %.2f s (%d models, best model #%d, lr %.2g)", epoch,
          (System.nanoTime() - t0) / 1e9, m, leader, p.learningRates()[leader]));
      double current = Arrays.stream(bestLoss).min().orElse(Double.POSITIVE_INFINITY);
      if (bestOverall - current > p.tolerance() * Math.abs(bestOverall) || bestOverall == Double.POSITIVE_INFINITY) {
        bestOverall = current;
        sinceImprovement = 0;
      } else if (++sinceImprovement >= p.patience()) {
        log.info("early stopping after epoch " + epoch + ": " + (xv != null ? "validation" : "training")
            + " loss improved less than early_stopping_tolerance=" + p.tolerance() + " for "
            + p.patience() + " epoch(s)");
        epoch++;
        break;
      }
    }
    int chosen = choose(bestW, bestB, xv, validation, bestLoss, m, k);
    float threshold = 0.5f;
    if (p.type() == PredictorType.BINARY && xv != null) {
      float[] scores = binaryScores(xv, bestW, bestB, chosen);
      float[] labels = calibrationLabels(validation);
      threshold = Calibration.calibrate(limit(scores), limit(labels), p).threshold();
    }
    int cols = k;
    float[] weights = bestW.get(NDArrayIndex.all(), NDArrayIndex.interval((long) chosen * k, (long) (chosen + 1) * k))
        .dup('c').data().asFloat();
    float[] bias = bestB.get(NDArrayIndex.all(), NDArrayIndex.interval((long) chosen * k, (long) (chosen + 1) * k))
        .dup('c').data().asFloat();
    LinearModel model = new LinearModel(p.type().wireName(), p.loss(), d, cols, weights, bias, scaler.mean(),
        scaler.scale(), labelMean, labelScale, threshold);
    return new Result(model, chosen, epoch);
  }

  private float[] limit(float[] a) {
    return p.calibrationSamples() == null || a.length <= p.calibrationSamples() ? a
        : Arrays.copyOf(a, p.calibrationSamples());
  }

  /** The winning model: by the calibrated criterion for binary classifiers, else by validation loss. */
  private int choose(INDArray bw, INDArray bb, INDArray xv, Rows validation, double[] losses, int m, int k) {
    if (p.type() != PredictorType.BINARY || xv == null || p.selection().equals("loss_function")) {
      return argmin(losses);
    }
    float[] labels = limit(calibrationLabels(validation));
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m; i++) {
      double v = Calibration.calibrate(limit(binaryScores(xv, bw, bb, i)), labels, p).value();
      if (v > bestValue + 1e-12 || (Math.abs(v - bestValue) <= 1e-12 && losses[i] < losses[best])) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }

  private float[] calibrationLabels(Rows validation) {
    return Arrays.copyOf(validation.y(), validation.n());
  }

  private static float[] binaryScores(INDArray xv, INDArray w, INDArray b, int model) {
    INDArray z = xv.mmul(w.getColumn(model, true)).addi(b.getDouble(0, model));
    return Transforms.sigmoid(z, false).data().asFloat();
  }

  private INDArray meanLoss(INDArray xs, INDArray ys, INDArray w, INDArray b) {
    INDArray z = xs.mmul(w).addiRowVector(b);
    int m = p.models();
    INDArray target = p.type() == PredictorType.MULTICLASS ? oneHot(ys, m, p.outputs()) : ys;
    INDArray loss = Losses.value(p, z, target);
    if (loss.columns() != m) {
      loss = loss.reshape(loss.rows(), m, p.outputs()).sum(2);
    }
    return loss.mean(0);
  }

  private void logTaskMetrics(int epoch, String set, INDArray xs, Rows rows, INDArray w, INDArray b, int model,
      float labelMean, float labelScale) {
    int k = p.outputs();
    INDArray z = xs.mmul(w.get(NDArrayIndex.all(), NDArrayIndex.interval((long) model * k, (long) (model + 1) * k)))
        .addiRowVector(b.get(NDArrayIndex.all(), NDArrayIndex.interval((long) model * k, (long) (model + 1) * k)));
    float[] labels = rows.y();
    int n = rows.n();
    switch (p.type()) {
      case BINARY -> {
        float[] s = Transforms.sigmoid(z, false).data().asFloat();
        metric(epoch, set, "binary_classification_accuracy", Metrics.accuracy(s, labels, n, 0.5f));
        metric(epoch, set, "roc_auc_score", Metrics.auc(s, labels, n));
      }
      case MULTICLASS -> {
        float[] probs = z.dup('c').data().asFloat();
        metric(epoch, set, "multiclass_accuracy", Metrics.multiclassAccuracy(probs, labels, n, k, 1));
        metric(epoch, set, "multiclass_top_k_accuracy", Metrics.multiclassAccuracy(probs, labels, n, k, p.topK()));
      }
      case REGRESSOR -> {
        float[] pred = z.muli(labelScale).addi(labelMean).data().asFloat();
        double mse = Metrics.mse(pred, labels, n);
        metric(epoch, set, "mse", mse);
        metric(epoch, set, "rmse", Math.sqrt(mse));
        metric(epoch, set, "absolute_loss", Metrics.mae(pred, labels, n));
      }
    }
  }

  /** SageMaker's linear-learner metric line, e.g. {@code #quality_metric: host=algo-1, epoch=3, validation mse <score>=0.1}. */
  private void metric(int epoch, String set, String name, double value) {
    log.metricLine(QualityMetric.line(host, Integer.toString(epoch), set, name, value));
  }

  private static INDArray oneHot(INDArray labels, int models, int k) {
    long n = labels.rows();
    float[] y = labels.dup('c').data().asFloat();
    float[] hot = new float[(int) (n * k)];
    for (int i = 0; i < n; i++) {
      hot[i * k + (int) y[i]] = 1f;
    }
    INDArray one = Nd4j.createFromArray(hot).reshape(n, k);
    return models == 1 ? one : Nd4j.tile(one, 1, models);
  }

  /** The rows (already in training order) as a scaled ND4J matrix; missing values become 0 (the mean). */
  private static INDArray features(float[] data, Rows r, Scaler s) {
    INDArray x = Nd4j.create(data, new long[] {r.n(), r.d()}, 'c');
    x.subiRowVector(Nd4j.createFromArray(s.mean()).reshape(1, r.d()));
    x.diviRowVector(Nd4j.createFromArray(s.scale()).reshape(1, r.d()));
    BooleanIndexing.replaceWhere(x, 0.0, Conditions.isNan());
    return x;
  }

  private static float[] shuffled(Rows r, int[] perm) {
    int d = r.d();
    float[] out = new float[r.n() * d];
    for (int i = 0; i < r.n(); i++) {
      System.arraycopy(r.x(), perm[i] * d, out, i * d, d);
    }
    return out;
  }

  private INDArray labels(Rows r, int[] perm, float mean, float scale) {
    float[] y = new float[r.n()];
    for (int i = 0; i < r.n(); i++) {
      y[i] = (r.y()[perm == null ? i : perm[i]] - mean) / scale;
    }
    return Nd4j.createFromArray(y).reshape(r.n(), 1);
  }

  private INDArray weights(Rows r, int[] perm) {
    float[] w = new float[r.n()];
    boolean any = r.w() != null;
    double positiveMult = 1;
    if (p.type() == PredictorType.BINARY && !p.positiveWeight().equals("auto")) {
      if (p.positiveWeight().equals("balanced")) {
        long pos = 0;
        for (int i = 0; i < r.n(); i++) {
          pos += r.y()[i] > 0.5f ? 1 : 0;
        }
        positiveMult = pos == 0 ? 1 : (r.n() - pos) / (double) pos;
      } else {
        positiveMult = Double.parseDouble(p.positiveWeight());
      }
      any |= positiveMult != 1;
    }
    double[] classWeight = null;
    if (p.type() == PredictorType.MULTICLASS && p.balanceMulticlass()) {
      long[] counts = new long[p.outputs()];
      for (int i = 0; i < r.n(); i++) {
        counts[(int) r.y()[i]]++;
      }
      classWeight = new double[p.outputs()];
      for (int c = 0; c < counts.length; c++) {
        classWeight[c] = counts[c] == 0 ? 0 : r.n() / (double) (p.outputs() * counts[c]);
      }
      any = true;
    }
    if (!any) {
      return null;
    }
    for (int i = 0; i < r.n(); i++) {
      int src = perm[i];
      double v = r.w() == null ? 1 : r.w()[src];
      if (r.y()[src] > 0.5f && p.type() == PredictorType.BINARY) {
        v *= positiveMult;
      }
      if (classWeight != null) {
        v *= classWeight[(int) r.y()[src]];
      }
      w[i] = (float) v;
    }
    return Nd4j.createFromArray(w).reshape(r.n(), 1);
  }


  private static int argmin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }
}
