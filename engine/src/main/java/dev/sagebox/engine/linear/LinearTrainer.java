package dev.sagebox.engine.linear;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.model.QualityMetric;
import dev.sagebox.engine.model.TrainingListener;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import dev.sagebox.engine.data.Shuffle;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mini-batch training of {@code M} linear models at once: the weights of all models are the columns of one
 * [d (+1), M*k] matrix whose last row is the bias (the rows carry a column of ones, {@link DesignMatrix}), so a
 * step is two matrix products whatever M is, plus the loss gradient and the optimiser's update; each model has its
 * own learning rate and weight decay. The steps run on ND4J (GEMMs into preallocated buffers and fused updater ops)
 * or, for a narrow matrix where the fixed cost of native calls is most of a step, in plain Java
 * ({@link StepRunner}). The epoch-end losses and metrics on validation data are ND4J products.
 */
final class LinearTrainer {
  private final LinearParams p;
  private final TrainingListener log;
  private final String host;
  private final int threads;
  private final Collective hosts;

  /**
   * @param hosts the job's hosts: on several, each trains on its own rows and the weights are averaged over them
   *     ({@link HostAverages}); the scaler, the class weights and the epoch losses come from all hosts' rows
   */
  LinearTrainer(LinearParams p, TrainingListener log, String host, int threads, Collective hosts) {
    this.p = p;
    this.log = log;
    this.host = host;
    this.threads = threads;
    this.hosts = hosts;
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
    Scaler scaler = p.normalizeData()
        ? Scaler.fit(train.x(), perm, train.n(), d, p.numPointForScaler(), p.unbiasData(), true, hosts)
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
      if (hosts.distributed()) {
        double[] all = HostAverages.sums(hosts, new double[] {s, sq, n});
        s = all[0];
        sq = all[1];
        n = (int) Math.round(all[2]);
      }
      // unbias_label=false scales without centring: the scale is then the root mean square.
      labelMean = p.unbiasLabel() ? (float) (s / n) : 0f;
      double centre = labelMean;
      labelScale = (float) Math.max(1e-12, Math.sqrt(Math.max(0, sq / n - 2 * centre * (s / n) + centre * centre)));
    }
    boolean bias = p.useBias();
    DesignMatrix data = DesignMatrix.of(train, perm, scaler, bias, labelMean, labelScale, weights(train, perm),
        p.miniBatchSize(), threads);
    DesignMatrix valid = validation == null ? null
        : DesignMatrix.of(validation, null, scaler, bias, labelMean, labelScale, null, p.miniBatchSize(), threads);
    INDArray xv = valid == null ? null : valid.x();
    INDArray yv = valid == null ? null : valid.y();

    // Initial weights from our own seeded generator: reproducible whatever ND4J's global random state is. The
    // bias, when used, is the last row (DesignMatrix's column of ones multiplies it).
    int rowsOfW = data.columns();
    float[] init = new float[rowsOfW * mk];
    for (int i = 0; i < d * mk; i++) {
      init[i] = (float) (p.normalInit() ? random.nextGaussian() * p.initSigma()
          : (random.nextDouble() * 2 - 1) * p.initScale());
    }
    if (bias) {
      Arrays.fill(init, d * mk, init.length, (float) p.initBias());
    }
    StepRunner steps = StepRunner.create(p, init, rowsOfW, d, bias, data.batchSize());
    INDArray w = steps.weights();
    if (hosts.distributed()) {
      log.info("several hosts: " + hosts.size() + " hosts step on their own rows; weights averaged every "
          + HostAverages.SYNC_STEPS + " steps and at each epoch's end");
    }

    int lrStep = p.lrStep() != null ? p.lrStep() : data.batches();
    INDArray bestW = w.dup();
    double[] bestLoss = new double[m];
    Arrays.fill(bestLoss, Double.POSITIVE_INFINITY);
    double bestOverall = Double.POSITIVE_INFINITY;
    int sinceImprovement = 0;
    int epoch = 0;
    long step = 0;
    for (; epoch < p.epochs() && !hosts.any(stop.getAsBoolean()); epoch++) {
      long t0 = System.nanoTime();
      if (epoch > 0 && nextEpochs != null) {
        train = nextEpochs.apply(epoch);
        if (train.d() != d) {
          throw new dev.sagebox.engine.error.UserError("epoch " + epoch + " of channel 'train' has " + train.d()
              + " features; epoch 0 had " + d);
        }
        int[] epochPerm = Shuffle.permutation(train.n(), random);
        data = DesignMatrix.of(train, epochPerm, scaler, bias, labelMean, labelScale, weights(train, epochPerm),
            p.miniBatchSize(), threads);
      }
      int[] order = Shuffle.permutation(data.batches(), random);
      // On several hosts every host runs as many steps as the host with the most batches (the others go round
      // their shuffled batches again), so that the weight averages line up.
      int stepsThisEpoch = hosts.max(order.length);
      for (int s = 0; s < stepsThisEpoch; s++) {
        steps.step(data, order[s % order.length]);
        step++;
        if (p.useLrScheduler() && step % lrStep == 0) {
          steps.decay(p.lrFactor(), p.lrMinimum());
        }
        if (hosts.distributed() && (s + 1) % HostAverages.SYNC_STEPS == 0 && s + 1 < stepsThisEpoch) {
          HostAverages.weights(steps, hosts);
        }
      }
      HostAverages.weights(steps, hosts);
      w = steps.weights();
      // Epoch end: per-model losses on a training sample and on validation, averaged over the hosts' rows.
      INDArray head = data.headX(20_000);
      double[] tl = HostAverages.means(hosts, meanLoss(head.mmul(w), data.headY(20_000)).toDoubleVector(),
          head.rows());
      // The validation scores of all models: one GEMM, for the losses and the leader's task metrics.
      INDArray zv = xv != null ? xv.mmul(w) : null;
      double[] losses = zv != null ? HostAverages.means(hosts, meanLoss(zv, yv).toDoubleVector(), xv.rows()) : tl;
      float[] improved = new float[mk];
      for (int i = 0; i < m; i++) {
        if (losses[i] < bestLoss[i]) {
          bestLoss[i] = losses[i];
          Arrays.fill(improved, i * k, (i + 1) * k, 1f);
        }
      }
      INDArray mask = Nd4j.createFromArray(improved).reshape(1, mk);
      bestW.muliRowVector(mask.rsub(1)).addi(w.mulRowVector(mask));
      int leader = argmin(losses);
      metric(epoch, "train", "objective_loss", tl[leader]);
      if (xv != null) {
        metric(epoch, "validation", "objective_loss", losses[leader]);
        logTaskMetrics(epoch, "validation", zv, validation, leader, labelMean, labelScale);
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
    int chosen = choose(bestW, xv, validation, bestLoss, m, k);
    float threshold = 0.5f;
    if (p.type() == PredictorType.BINARY && xv != null) {
      float[] scores = binaryScores(xv, bestW, chosen);
      float[] labels = calibrationLabels(validation);
      threshold = Calibration.calibrate(limit(scores), limit(labels), p).threshold();
    }
    int cols = k;
    // The chosen model's k columns of W: its weights [d, k] and, from the last row, its bias.
    float[] all = bestW.dup('c').data().asFloat();
    float[] weights = new float[d * k];
    float[] biasValues = new float[k];
    for (int j = 0; j < k; j++) {
      for (int r = 0; r < d; r++) {
        weights[r * k + j] = all[r * mk + chosen * k + j];
      }
      biasValues[j] = bias ? all[d * mk + chosen * k + j] : 0f;
    }
    LinearModel model = new LinearModel(p.type().wireName(), p.loss(), d, cols, weights, biasValues, scaler.mean(),
        scaler.scale(), labelMean, labelScale, threshold);
    return new Result(model, chosen, epoch);
  }

  private float[] limit(float[] a) {
    return p.calibrationSamples() == null || a.length <= p.calibrationSamples() ? a
        : Arrays.copyOf(a, p.calibrationSamples());
  }

  /** The winning model: by the calibrated criterion for binary classifiers, else by validation loss. */
  private int choose(INDArray bw, INDArray xv, Rows validation, double[] losses, int m, int k) {
    if (m == 1 || p.type() != PredictorType.BINARY || xv == null || p.selection().equals("loss_function")) {
      return argmin(losses);
    }
    float[] labels = limit(calibrationLabels(validation));
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m; i++) {
      double v = Calibration.calibrate(limit(binaryScores(xv, bw, i)), labels, p).value();
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

  /** Validation probabilities of one model (the bias is in {@code w}'s last row, when used). */
  private static float[] binaryScores(INDArray xv, INDArray w, int model) {
    INDArray z = xv.mmul(w.getColumn(model, true));
    return Transforms.sigmoid(z, false).data().asFloat();
  }

  /** Mean loss of each model from its scores {@code z} [rows, M*k] (left unchanged). */
  private INDArray meanLoss(INDArray z, INDArray ys) {
    int m = p.models();
    INDArray target = p.type() == PredictorType.MULTICLASS ? Losses.oneHot(ys, m, p.outputs()) : ys;
    INDArray loss = Losses.value(p, z, target);
    if (loss.columns() != m) {
      loss = loss.reshape(loss.rows(), m, p.outputs()).sum(2);
    }
    return loss.mean(0);
  }

  /** The task's metric lines for one model, from all models' scores {@code zAll} [rows, M*k]. */
  private void logTaskMetrics(int epoch, String set, INDArray zAll, Rows rows, int model, float labelMean,
      float labelScale) {
    int k = p.outputs();
    INDArray z = zAll.get(NDArrayIndex.all(), NDArrayIndex.interval((long) model * k, (long) (model + 1) * k))
        .dup('c');
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

  /** Each training row's weight (row weights, positive_example_weight_mult, class balance), or null when all 1. */
  private float[] weights(Rows r, int[] perm) {
    float[] w = new float[r.n()];
    boolean any = r.w() != null;
    double positiveMult = 1;
    if (p.type() == PredictorType.BINARY && !p.positiveWeight().equals("auto")) {
      if (p.positiveWeight().equals("balanced")) {
        long pos = 0;
        for (int i = 0; i < r.n(); i++) {
          pos += r.y()[i] > 0.5f ? 1 : 0;
        }
        double[] counts = HostAverages.sums(hosts, new double[] {pos, r.n()});
        positiveMult = counts[0] == 0 ? 1 : (counts[1] - counts[0]) / counts[0];
      } else {
        positiveMult = Double.parseDouble(p.positiveWeight());
      }
      any |= positiveMult != 1;
    }
    double[] classWeight = null;
    if (p.type() == PredictorType.MULTICLASS && p.balanceMulticlass()) {
      double[] local = new double[p.outputs() + 1];
      for (int i = 0; i < r.n(); i++) {
        local[(int) r.y()[i]]++;
      }
      local[p.outputs()] = r.n();
      double[] counts = HostAverages.sums(hosts, local);
      double total = counts[p.outputs()];
      classWeight = new double[p.outputs()];
      for (int c = 0; c < p.outputs(); c++) {
        classWeight[c] = counts[c] == 0 ? 0 : total / (p.outputs() * counts[c]);
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
    return w;
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
