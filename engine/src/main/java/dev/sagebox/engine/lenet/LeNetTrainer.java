package dev.sagebox.engine.lenet;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.HostChecks;
import dev.sagebox.engine.data.Shuffle;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.CheckpointFolder;
import dev.sagebox.engine.model.QualityMetric;
import dev.sagebox.engine.model.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Trains LeNet (a SameDiff graph, stepped by LeNetTrainingStep on the CPU): shuffled mini-batches, a progress line with images/s every N iterations, per-epoch metric
 * lines, checkpoints after each epoch (SameDiff's own file with the optimiser state; resumed from the newest), early
 * stopping on validation accuracy, and a clean stop on request (checkpoint and partial model saved).
 */
final class LeNetTrainer {
  static final String CHECKPOINT_PREFIX = "lenet-checkpoint-";
  static final String CHECKPOINT_SUFFIX = ".sd";
  private final LeNetParams p;
  private final TrainingListener log;
  private final Optional<Path> checkpoints;
  private final BooleanSupplier stop;

  private final Collective hosts;

  LeNetTrainer(LeNetParams p, TrainingListener log, Optional<Path> checkpoints, BooleanSupplier stop) {
    this(p, log, checkpoints, stop, Collective.SOLO);
  }

  /**
   * @param hosts the job's hosts: on several, each steps on its own images with the gradients averaged over all of
   *     them every iteration (so the parameters stay identical); the leader alone writes checkpoints
   */
  LeNetTrainer(LeNetParams p, TrainingListener log, Optional<Path> checkpoints, BooleanSupplier stop,
      Collective hosts) {
    this.hosts = hosts;
    this.p = p;
    this.log = log;
    this.checkpoints = checkpoints;
    this.stop = stop;
  }

  /** The trained network and whether training was cut short by a stop request. */
  record Outcome(LeNetNetwork network, int epochsDone, boolean interrupted) {}

  /** Trains from the newest checkpoint if there is one, else from {@code initial} (may be null: fresh weights). */
  Outcome train(Images train, Images validation, LeNetWeights initial) {
    LeNetNetwork net;
    int startEpoch = 0;
    Resume resume = findCheckpoint();
    if (resume != null) {
      net = resume.network;
      startEpoch = resume.nextEpoch;
      log.info("resuming from checkpoint " + resume.file + ": " + startEpoch + " epoch(s) done");
    } else {
      net = initial == null ? LeNetNetwork.initial(p) : LeNetNetwork.fromWeights(initial);
    }
    net.configureTraining(p);
    HostChecks.same(hosts, "the epoch to start from", startEpoch, "every host needs the same checkpoints "
        + "(SageMaker copies the checkpoint S3 location to every host)");
    Random random = new Random(p.seed() + startEpoch);
    int n = train.count();
    int batch = Math.min(p.batchSize(), n);
    double bestAccuracy = -1;
    int sinceBest = 0;
    long iteration = 0;
    int epoch = startEpoch;
    for (; epoch < p.epochs(); epoch++) {
      int[] order = Shuffle.permutation(n, random);
      double lossSum = 0;
      int batches = 0;
      long t0 = System.nanoTime();
      long windowStart = t0;
      int windowImages = 0;
      // On several hosts every host runs as many iterations as the host with the most batches (the others go round
      // their images again), so that the gradient averages line up.
      int myBatches = (n + batch - 1) / batch;
      int iterations = hosts.max(myBatches);
      for (int it = 0; it < iterations; it++) {
        int from = (it % myBatches) * batch;
        if (hosts.any(stop.getAsBoolean())) {
          checkpoint(net, epoch);
          log.warn("stop requested in epoch " + epoch + " after " + batches + " batch(es)");
          return new Outcome(net, epoch, true);
        }
        int to = Math.min(n, from + batch);
        double loss = net.fit(batchFeatures(train, order, from, to), batchLabels(train, order, from, to), to - from,
            hosts);
        lossSum += loss;
        batches++;
        iteration++;
        windowImages += to - from;
        if (iteration % p.progressEvery() == 0) {
          long now = System.nanoTime();
          log.info(String.format(Locale.ROOT, "epoch %d, iteration %d: %d/%d images, loss %.4f, %.0f images/s",
              epoch, iteration, to, n, loss, windowImages / ((now - windowStart) / 1e9)));
          windowStart = now;
          windowImages = 0;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      metric(epoch, "train", "loss", hosts.distributed() ? sumOverHosts(lossSum, batches)[0] : lossSum
          / Math.max(1, batches));
      if (hosts.distributed()) {
        checkSameParameters(net, epoch);
      }
      log.info(String.format(Locale.ROOT, "epoch %d done in %.2f s (%.0f images/s)", epoch, seconds, n / seconds));
      if (validation != null) {
        double[] acc = evaluate(net, validation, hosts);
        metric(epoch, "validation", "loss", acc[1]);
        metric(epoch, "validation", "accuracy", acc[0]);
        if (acc[0] > bestAccuracy) {
          bestAccuracy = acc[0];
          sinceBest = 0;
        } else if (p.patience() != null && ++sinceBest >= p.patience()) {
          checkpoint(net, epoch + 1);
          log.info("early stopping after epoch " + epoch + ": validation accuracy has not improved for "
              + p.patience() + " epoch(s)");
          return new Outcome(net, epoch + 1, false);
        }
      }
      checkpoint(net, epoch + 1);
    }
    return new Outcome(net, epoch, false);
  }

  private static float[] batchFeatures(Images data, int[] order, int from, int to) {
    float[] x = new float[(to - from) * Images.SIZE];
    for (int i = from; i < to; i++) {
      System.arraycopy(data.pixels(), order[i] * Images.SIZE, x, (i - from) * Images.SIZE, Images.SIZE);
    }
    for (int k = 0; k < x.length; k++) {
      x[k] /= 255f;
    }
    return x;
  }

  private static float[] batchLabels(Images data, int[] order, int from, int to) {
    float[] y = new float[(to - from) * Images.CLASSES];
    for (int i = from; i < to; i++) {
      y[(i - from) * Images.CLASSES + data.labels()[order[i]]] = 1f;
    }
    return y;
  }

  /** The mean over all hosts of per-host sums {@code sum} over {@code count} items each: {mean, total count}. */
  private double[] sumOverHosts(double sum, long count) {
    float[] all = hosts.allReduce(new float[] {(float) sum, count}, Collective.Op.SUM);
    return new double[] {all[1] == 0 ? 0 : all[0] / all[1], all[1]};
  }

  /** Logs the parameters' checksum and warns when a host's differs (they must be equal after averaged steps). */
  private void checkSameParameters(LeNetNetwork net, int epoch) {
    float mine = (float) net.parameterChecksum();
    float[] all = hosts.gather(mine);
    boolean same = true;
    for (float v : all) {
      same &= v == all[0];
    }
    String line = "epoch " + epoch + ": parameter checksum per host " + java.util.Arrays.toString(all);
    if (same) {
      log.info(line + " (identical)");
    } else {
      log.warn(line + ": the hosts' parameters differ (different thread counts round differently; set "
          + "SAGEBOX_THREADS alike on every host)");
    }
  }

  /** Accuracy and mean negative log-likelihood over all hosts' validation images. */
  private static double[] evaluate(LeNetNetwork net, Images data, Collective hosts) {
    double[] local = evaluate(net, data);
    if (!hosts.distributed()) {
      return local;
    }
    float[] all = hosts.allReduce(new float[] {(float) (local[0] * data.count()), (float) (local[1] * data.count()),
        data.count()}, Collective.Op.SUM);
    return new double[] {all[0] / all[2], all[1] / all[2]};
  }

  /** Accuracy and mean negative log-likelihood of {@code net} on the images. */
  static double[] evaluate(LeNetNetwork net, Images data) {
    float[] probs = net.probabilities(scaled(data.pixels(), data.count()), data.count());
    int ok = 0;
    double nll = 0;
    for (int i = 0; i < data.count(); i++) {
      int best = 0;
      for (int c = 1; c < Images.CLASSES; c++) {
        if (probs[i * Images.CLASSES + c] > probs[i * Images.CLASSES + best]) {
          best = c;
        }
      }
      ok += best == data.labels()[i] ? 1 : 0;
      nll -= Math.log(Math.max(1e-12, probs[i * Images.CLASSES + data.labels()[i]]));
    }
    return new double[] {ok / (double) data.count(), nll / data.count()};
  }

  /** The first {@code count} images' pixels divided by 255. */
  static float[] scaled(float[] pixels, int count) {
    float[] x = java.util.Arrays.copyOf(pixels, count * Images.SIZE);
    for (int k = 0; k < x.length; k++) {
      x[k] /= 255f;
    }
    return x;
  }

  private void metric(int epoch, String set, String name, double value) {
    log.metricLine(QualityMetric.line(hosts.host(), Integer.toString(epoch), set, name, value));
  }

  private record Resume(LeNetNetwork network, int nextEpoch, Path file) {}

  private Resume findCheckpoint() {
    if (checkpoints.isEmpty()) {
      return null;
    }
    CheckpointFolder folder = folder(checkpoints.get());
    if (folder.newest().isEmpty()) {
      return null;
    }
    int newest = folder.newest().getAsInt();
    Path file = folder.file(newest);
    try {
      return new Resume(new LeNetNetwork(SameDiff.load(file.toFile(), true)), newest, file);
    } catch (RuntimeException e) {
      throw new UserError("checkpoint " + file + " cannot be loaded (" + e.getMessage() + "); delete it to start "
          + "from scratch", e);
    }
  }

  private void checkpoint(LeNetNetwork net, int epochsDone) {
    if (!hosts.leader()) {
      return;
    }
    checkpoints.ifPresent(dir -> folder(dir).save(epochsDone, tmp -> net.graph().save(tmp.toFile(), true)));
  }

  private static CheckpointFolder folder(Path dir) {
    return new CheckpointFolder(dir, CHECKPOINT_PREFIX, CHECKPOINT_SUFFIX, 2);
  }
}
